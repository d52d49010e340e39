import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import { useTranslation } from '../../i18n/index.ts';
import { useAppStore } from '../../store/index.ts';
import type { QuestionTag } from '../../store/play-log.ts';
import { Composer } from './composer.tsx';
import { MessageBubble } from './message-bubble.tsx';
import { PersonaPanel } from './persona-panel.tsx';
import { practiceScript } from './practice-script.ts';
import { PreferenceList } from './preference-list.tsx';
import { useParticipantPreview } from './preview-context.ts';
import { QuestionTags, tagForKey } from './question-tags.tsx';
import { StepHeading } from './step-heading.tsx';
import { StepIndicator } from './step-indicator.tsx';
import { TaskCard } from './task-card.tsx';
import { useFakeStream } from './use-fake-stream.ts';

interface Said {
  side: 'model' | 'actor';
  text: string;
}

/** The practice round: the real screen's parts, a pretend model, and a hint at each step. Nothing is sent. */
export function PracticeRound() {
  const { t, i18n } = useTranslation();
  // One script per language: its objects stay the same between renders (the persona card memoizes on them).
  const script = useMemo(() => practiceScript(), [i18n.language]); // eslint-disable-line react-hooks/exhaustive-deps
  const preview = useParticipantPreview();
  const finishStored = useAppStore((s) => s.finishPractice);
  const finishPractice = preview ? () => preview.advance('practice') : finishStored;
  const [said, setSaid] = useState<Said[]>([]);
  const [draft, setDraft] = useState('');
  const [tags, setTags] = useState<Record<number, QuestionTag>>({});
  const { text: streaming, stream } = useFakeStream();
  const questions = said.filter((s) => s.side === 'model').length;
  const replies = said.filter((s) => s.side === 'actor').length;
  const finished = said.some((s) => s.text === script.answer);
  const awaiting = streaming === null && !finished && questions > replies;

  const firstQuestion = script.turns[0]?.question ?? '';
  useEffect(() => {
    stream(firstQuestion, () => setSaid([{ side: 'model', text: firstQuestion }]));
  }, [stream, firstQuestion]);

  const send = (): void => {
    const next = script.turns[replies + 1];
    const modelText = next ? next.question : script.answer;
    setSaid((s) => [...s, { side: 'actor', text: draft.trim() }]);
    setDraft('');
    stream(modelText, () => setSaid((s) => [...s, { side: 'model', text: modelText }]));
  };

  const tag = (turn: number, picked: QuestionTag): void => setTags((x) => ({ ...x, [turn]: picked }));
  // Like the real chat: a question is a keyboard stop, and keys 1–4 tag the one that has focus.
  const tagByKey =
    (turn: number) =>
    (event: KeyboardEvent<HTMLElement>): void => {
      const picked = tagForKey(event);
      if (!picked) return;
      event.preventDefault();
      tag(turn, picked);
    };

  const hint = finished ? null : script.turns[Math.min(replies, script.turns.length - 1)];
  return (
    <Stack spacing={2}>
      <StepIndicator role="actor" current="practice" />
      <StepHeading id="practice-title" kicker={t('practice.kicker')} title={t('practice.title')} />
      <Box
        sx={{
          display: 'grid',
          gap: 2,
          gridTemplateColumns: { xs: '1fr', md: 'minmax(280px, 380px) 1fr' },
          alignItems: 'start',
        }}
      >
        <Stack spacing={2} component="aside" aria-label={t('practice.personaRegion')}>
          <PersonaPanel persona={script.persona} title={t('play.youArePlaying')} />
          <PreferenceList preferences={script.preferences} hidden />
        </Stack>
        <Stack spacing={1.5} component="section" aria-label={t('practice.conversation')}>
          <Box sx={{ bgcolor: '#eef2f6', borderRadius: 2, p: 2, display: 'flex', flexDirection: 'column', gap: 1.5 }}>
            <TaskCard text={script.task} speaker={script.persona.name} />
            {said.map((s, i) => {
              const turn = said.slice(0, i).filter((x) => x.side === 'model').length;
              const isQuestion = s.side === 'model' && s.text !== script.answer;
              const header =
                s.side === 'actor'
                  ? t('chat.youAs', { name: script.persona.name })
                  : isQuestion
                    ? t('chat.modelQuestion', { current: turn + 1, max: script.turns.length })
                    : t('chat.modelFinalAnswer');
              const footer = isQuestion ? <QuestionTags turn={turn} tag={tags[turn] ?? null} onTag={tag} /> : undefined;
              return (
                <MessageBubble
                  key={i}
                  side={s.side}
                  header={header}
                  text={s.text}
                  footer={footer}
                  label={isQuestion ? t('chat.questionLabel', { number: turn + 1 }) : undefined}
                  onKeyDown={isQuestion ? tagByKey(turn) : undefined}
                />
              );
            })}
            {streaming !== null && (
              <MessageBubble side="model" header={t('chat.modelWritingHeader')} text={streaming} streaming />
            )}
          </Box>
          {hint && (
            <Alert role="status" severity="info" aria-live="polite">
              <AlertTitle>{awaiting ? t('practice.yourTurn') : t('practice.modelWriting')}</AlertTitle>
              {awaiting ? hint.hint : t('practice.streamHint')}
            </Alert>
          )}
          {finished ? (
            <Alert
              role="status"
              severity="success"
              action={
                <Button variant="contained" color="success" onClick={finishPractice} sx={{ whiteSpace: 'nowrap' }}>
                  {t('practice.startReal')}
                </Button>
              }
            >
              <AlertTitle>{t('practice.doneTitle')}</AlertTitle>
              {t('practice.doneText')}
            </Alert>
          ) : (
            <Composer
              value={draft}
              onChange={setDraft}
              onSend={send}
              canSend={awaiting}
              hint={awaiting ? t('composer.howToSend') : t('practice.waitForQuestion')}
            />
          )}
          {!finished && (
            <Typography variant="body2" color="text.secondary">
              {t('practice.skipAhead')}{' '}
              <Button size="small" onClick={finishPractice}>
                {t('practice.goToReal')}
              </Button>
            </Typography>
          )}
        </Stack>
      </Box>
    </Stack>
  );
}
