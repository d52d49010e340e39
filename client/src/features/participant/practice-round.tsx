import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import { useAppStore } from '../../store/index.ts';
import type { QuestionTag } from '../../store/play-log.ts';
import { Composer } from './composer.tsx';
import { MessageBubble } from './message-bubble.tsx';
import { PersonaPanel } from './persona-panel.tsx';
import {
  PRACTICE_ANSWER,
  PRACTICE_PERSONA,
  PRACTICE_PREFERENCES,
  PRACTICE_TASK,
  PRACTICE_TURNS,
} from './practice-script.ts';
import { PreferenceList } from './preference-list.tsx';
import { QuestionTags } from './question-tags.tsx';
import { StepHeading } from './step-heading.tsx';
import { TaskCard } from './task-card.tsx';
import { useFakeStream } from './use-fake-stream.ts';

interface Said {
  side: 'model' | 'actor';
  text: string;
}

/** The practice round: the real screen's parts, a pretend model, and a hint at each step. Nothing is sent. */
export function PracticeRound() {
  const finishPractice = useAppStore((s) => s.finishPractice);
  const [said, setSaid] = useState<Said[]>([]);
  const [draft, setDraft] = useState('');
  const [tags, setTags] = useState<Record<number, QuestionTag>>({});
  const { text: streaming, stream } = useFakeStream();
  const questions = said.filter((s) => s.side === 'model').length;
  const replies = said.filter((s) => s.side === 'actor').length;
  const finished = said.some((s) => s.text === PRACTICE_ANSWER);
  const awaiting = streaming === null && !finished && questions > replies;

  useEffect(() => {
    stream(PRACTICE_TURNS[0]?.question ?? '', () =>
      setSaid([{ side: 'model', text: PRACTICE_TURNS[0]?.question ?? '' }]),
    );
  }, [stream]);

  const send = (): void => {
    const next = PRACTICE_TURNS[replies + 1];
    const modelText = next ? next.question : PRACTICE_ANSWER;
    setSaid((s) => [...s, { side: 'actor', text: draft.trim() }]);
    setDraft('');
    stream(modelText, () => setSaid((s) => [...s, { side: 'model', text: modelText }]));
  };

  const hint = finished ? null : PRACTICE_TURNS[Math.min(replies, PRACTICE_TURNS.length - 1)];
  return (
    <Stack spacing={2}>
      <StepHeading
        id="practice-title"
        kicker="Practice round — nothing is recorded"
        title="Try it: play Sam for two questions"
      />
      <Box
        sx={{
          display: 'grid',
          gap: 2,
          gridTemplateColumns: { xs: '1fr', md: 'minmax(280px, 380px) 1fr' },
          alignItems: 'start',
        }}
      >
        <Stack spacing={2} component="aside" aria-label="Practice persona">
          <PersonaPanel persona={PRACTICE_PERSONA} title="You are playing" />
          <PreferenceList preferences={PRACTICE_PREFERENCES} hidden />
        </Stack>
        <Stack spacing={1.5} component="section" aria-label="Practice conversation">
          <Box sx={{ bgcolor: '#eef2f6', borderRadius: 2, p: 2, display: 'flex', flexDirection: 'column', gap: 1.5 }}>
            <TaskCard text={PRACTICE_TASK} speaker={PRACTICE_PERSONA.name} />
            {said.map((s, i) => {
              const turn = said.slice(0, i).filter((x) => x.side === 'model').length;
              const isQuestion = s.side === 'model' && s.text !== PRACTICE_ANSWER;
              const header =
                s.side === 'actor'
                  ? `You, as ${PRACTICE_PERSONA.name}`
                  : isQuestion
                    ? `Model · question ${turn + 1} of ${PRACTICE_TURNS.length}`
                    : 'Model · final answer';
              const footer = isQuestion ? (
                <QuestionTags
                  turn={turn}
                  tag={tags[turn] ?? null}
                  onTag={(t, tag) => setTags((x) => ({ ...x, [t]: tag }))}
                />
              ) : undefined;
              return <MessageBubble key={i} side={s.side} header={header} text={s.text} footer={footer} />;
            })}
            {streaming !== null && <MessageBubble side="model" header="Model · writing…" text={streaming} streaming />}
          </Box>
          {hint && (
            <Alert severity="info" aria-live="polite">
              <AlertTitle>{awaiting ? 'Your turn' : 'The model is writing'}</AlertTitle>
              {awaiting ? hint.hint : 'Its words stream in as they are generated. Wait for the question to finish.'}
            </Alert>
          )}
          {finished ? (
            <Alert
              severity="success"
              action={
                <Button variant="contained" color="success" onClick={finishPractice} sx={{ whiteSpace: 'nowrap' }}>
                  Start the real task
                </Button>
              }
            >
              <AlertTitle>Practice done</AlertTitle>
              In the real task, after the final answer you rate it on the persona’s own criteria (keys 1–5), and say
              whether it is correct. If the connection drops, wait: your reply is kept and sent when it is back.
            </Alert>
          ) : (
            <Composer
              value={draft}
              onChange={setDraft}
              onSend={send}
              canSend={awaiting}
              hint={awaiting ? 'Enter sends · Shift+Enter for a new line' : 'Wait for the model’s question.'}
            />
          )}
          {!finished && (
            <Typography variant="body2" color="text.secondary">
              Skip ahead?{' '}
              <Button size="small" onClick={finishPractice}>
                Go to the real task
              </Button>
            </Typography>
          )}
        </Stack>
      </Box>
    </Stack>
  );
}
