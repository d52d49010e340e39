import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import { useState } from 'react';
import { PageLoading } from '../../app/page-loading.tsx';
import { navigate } from '../../app/router.ts';
import { useAppStore } from '../../store/index.ts';
import { finalAnswerOf, messagesOf } from '../../store/play-log.ts';
import type { RatingInput } from '../../store/rating-slice.ts';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { AnswerCard } from './answer-card.tsx';
import { FinishedNotice } from './finished-notice.tsx';
import { Narrow } from './participant-gate.tsx';
import { PreferenceList } from './preference-list.tsx';
import { RatingForm } from './rating-form.tsx';
import { StepHeading } from './step-heading.tsx';
import { TaskCard } from './task-card.tsx';
import { textAt } from './persona-facts.ts';
import { useStartPlay } from './use-start-play.ts';

/** The actor rates the model's final answer on the persona's own rubric, as the person they played. */
export function SelfRatingPage() {
  const episode = useAppStore((s) => s.episode);
  const events = useAppStore((s) => s.playLog.events);
  const phase = useAppStore((s) => s.playPhase);
  const playError = useAppStore((s) => s.playError);
  const busy = useAppStore((s) => s.selfRatingBusy);
  const error = useAppStore((s) => s.selfRatingError);
  const submitSelfRating = useAppStore((s) => s.submitSelfRating);
  const startPlay = useAppStore((s) => s.startPlay);
  useStartPlay();
  // secondsSpent counts from the moment the rating form was first shown.
  const [shownAt] = useState(() => Date.now());

  if (!episode) {
    if (phase === 'error')
      return (
        <Narrow>
          <ErrorAlert
            title="Could not load your task"
            message={playError ?? 'unknown error'}
            onRetry={() => void startPlay()}
          />
        </Narrow>
      );
    return <PageLoading label="Loading the answer to rate…" />;
  }
  if (phase === 'done') return <FinishedNotice />;
  const answer = finalAnswerOf(events);
  if (!answer) {
    return (
      <Narrow>
        <Alert
          severity="info"
          action={
            <Button color="inherit" onClick={() => navigate('/play')}>
              Back to the chat
            </Button>
          }
        >
          The model has not given its final answer yet. Continue the conversation first.
        </Alert>
      </Narrow>
    );
  }
  const name = textAt(episode.persona, 'name') ?? 'your persona';
  const task = messagesOf(events).find((m) => m.kind === 'opening');
  const submit = (input: RatingInput): void => {
    void submitSelfRating({ ...input, secondsSpent: Math.round((Date.now() - shownAt) / 100) / 10 });
  };
  return (
    <Stack spacing={2}>
      <StepHeading id="self-rating-title" kicker="Last step" title={`Rate the final answer as ${name}`} />
      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, alignItems: 'start' }}>
        <Stack spacing={2}>
          <AnswerCard title="The model’s final answer" text={answer.text} />
          {task && <TaskCard text={task.text} speaker={name} />}
          <PreferenceList preferences={episode.preferences} hidden={false} title={`${name}’s preferences`} />
        </Stack>
        <Box
          sx={{
            position: { md: 'sticky' },
            top: { md: 72 },
            maxHeight: { md: 'calc(100vh - 96px)' },
            overflowY: { md: 'auto' },
            pr: { md: 1 },
          }}
        >
          <RatingForm
            criteria={episode.rubric}
            busy={busy}
            error={error}
            submitLabel="Submit my rating"
            onSubmit={submit}
          />
        </Box>
      </Box>
    </Stack>
  );
}
