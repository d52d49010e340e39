import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useEffect } from 'react';
import { PageLoading } from '../../app/page-loading.tsx';
import { useAppStore } from '../../store/index.ts';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { AnswerCard } from './answer-card.tsx';
import { ItemTimer } from './item-timer.tsx';
import { Narrow } from './participant-gate.tsx';
import { PersonaPanel } from './persona-panel.tsx';
import { PreferenceList } from './preference-list.tsx';
import { RatingForm } from './rating-form.tsx';
import { StepHeading } from './step-heading.tsx';
import { TaskView } from './task-view.tsx';
import { TranscriptToggle } from './transcript-toggle.tsx';

/**
 * A rater's workspace: one blinded item at a time (who asked, what they wanted, the task, the answer), scored on the
 * rubric. The item carries no model, condition or source; nothing here could show one.
 */
export function RaterPage() {
  const item = useAppStore((s) => s.ratingItem);
  const status = useAppStore((s) => s.ratingStatus);
  const error = useAppStore((s) => s.ratingError);
  const progress = useAppStore((s) => s.ratingProgress);
  const nextRating = useAppStore((s) => s.nextRating);
  const submitRating = useAppStore((s) => s.submitRating);
  const connected = useAppStore((s) => s.connection === 'connected');
  const shownAt = useAppStore((s) => s.ratingShownAt);

  useEffect(() => {
    // Coming back to the page (from the done page, say) asks the queue again; the first connection does too.
    if (connected && !item && status === 'idle') void nextRating();
  }, [connected, item, status, nextRating]);

  if (!item) {
    if (status === 'error')
      return (
        <Narrow>
          <ErrorAlert
            title="Could not load the next answer"
            message={error ?? 'unknown error'}
            onRetry={() => void nextRating()}
          />
        </Narrow>
      );
    return <PageLoading label="Finding the next answer to rate…" />;
  }
  const progressText = progress ? `${progress.rated} of ${progress.quota} rated` : 'Your first answer';
  const goldOption = item.task.options[item.task.goldAnswer];
  const goldAnswer = goldOption === undefined ? item.task.goldAnswer : `${item.task.goldAnswer} — ${goldOption}`;
  return (
    <Stack spacing={2}>
      <Box sx={{ display: 'flex', justifyContent: 'space-between', alignItems: 'flex-end', flexWrap: 'wrap', gap: 1 }}>
        {/* Keyed by item: each new item takes focus to its heading, so keyboard and screen-reader users start at the top. */}
        <StepHeading
          key={item.itemId}
          id="rater-title"
          kicker={progressText}
          title="Rate this answer for the person who asked"
        />
        <ItemTimer key={`timer-${item.itemId}`} since={shownAt} />
      </Box>
      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, alignItems: 'start' }}>
        <Stack spacing={2}>
          <TaskView task={item.task} />
          <AnswerCard title="The answer" text={item.answer} />
          {item.transcript && item.transcript.length > 0 && <TranscriptToggle turns={item.transcript} />}
          <PersonaPanel persona={item.persona} title="Who asked" />
          <PreferenceList preferences={item.preferences} hidden={false} />
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
          <Typography variant="h3" component="h2" sx={{ mb: 1 }}>
            Your scores
          </Typography>
          <RatingForm
            key={item.itemId}
            criteria={item.rubric}
            busy={status === 'submitting'}
            error={error}
            submitLabel="Submit and next"
            goldAnswer={goldAnswer}
            onSubmit={(input) => void submitRating(input)}
          />
        </Box>
      </Box>
    </Stack>
  );
}
