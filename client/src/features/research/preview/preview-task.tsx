import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import type { PreviewActorTask } from '../../../../../shared/schemas/api-preview.ts';
import type { BlindRatingItem } from '../../../../../shared/schemas/live-study.ts';
import { AnswerCard } from '../../participant/answer-card.tsx';
import { InstructionsDrawer } from '../../participant/instructions-drawer.tsx';
import { PersonaPanel } from '../../participant/persona-panel.tsx';
import { textAt } from '../../participant/persona-facts.ts';
import { PreferenceList } from '../../participant/preference-list.tsx';
import { goldAnswerText, RatingItemView } from '../../participant/rating-item-view.tsx';
import { RatingForm } from '../../participant/rating-form.tsx';
import { StepHeading } from '../../participant/step-heading.tsx';
import { StepIndicator } from '../../participant/step-indicator.tsx';
import { TaskCard } from '../../participant/task-card.tsx';

/**
 * The task pages in the preview. The live pages (play, self-rating, rater queue) are driven by a participant's socket
 * session, so here the same parts are laid out as those pages lay them out, fed from the preview: the persona and
 * hidden preferences of a real record, the rubric, and for raters a sample item built by the server's blinding code.
 * The model under test is never called (no paid calls): the practice round step shows the chat with a pretend model.
 */

const SAMPLE_FINAL_ANSWER =
  'This is where the model’s final answer appears. The preview does not call the model under test, so this is a ' +
  'placeholder: the actor rates the real answer on the persona’s own criteria.';

export function ActorTaskPreview({
  task,
  instructions,
  onSubmitted,
}: {
  task: PreviewActorTask | null;
  instructions: string;
  onSubmitted: () => void;
}) {
  const [rating, setRating] = useState(false);
  if (!task) return <NoRecords />;
  const name = textAt(task.persona, 'name') ?? 'your persona';
  const question = task.opening;
  if (rating) {
    return (
      <Stack spacing={2}>
        <StepIndicator role="actor" current="task" />
        <Box
          sx={{ display: 'flex', justifyContent: 'space-between', alignItems: 'flex-end', flexWrap: 'wrap', gap: 1 }}
        >
          <StepHeading id="self-rating-title" kicker="Last step" title={`Rate the final answer as ${name}`} />
          <InstructionsDrawer role="actor" />
        </Box>
        <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, alignItems: 'start' }}>
          <Stack spacing={2}>
            <AnswerCard title="The model’s final answer" text={SAMPLE_FINAL_ANSWER} />
            <TaskCard text={question} speaker={name} />
            <PreferenceList preferences={task.preferences} hidden={false} title={`${name}’s preferences`} />
          </Stack>
          <RatingForm
            criteria={task.rubric}
            busy={false}
            error={null}
            submitLabel="Submit my rating"
            askCorrectness={false}
            onSubmit={onSubmitted}
          />
        </Box>
      </Stack>
    );
  }
  // As the play page: no step indicator above the chat, which takes the whole height.
  return (
    <Stack spacing={2}>
      <Box
        sx={{
          display: 'grid',
          gap: 2,
          gridTemplateColumns: { xs: '1fr', md: 'minmax(280px, 380px) 1fr' },
          alignItems: 'start',
        }}
      >
        <Stack component="aside" spacing={2} aria-label="Your persona" sx={{ order: { xs: 2, md: 1 } }}>
          {instructions.trim() !== '' && (
            <Alert role="note" severity="info" icon={false}>
              <Typography variant="h4" component="h2" gutterBottom>
                Study instructions
              </Typography>
              <Typography variant="body2" sx={{ whiteSpace: 'pre-wrap' }}>
                {instructions}
              </Typography>
            </Alert>
          )}
          <PersonaPanel persona={task.persona} title="You are playing" />
          <PreferenceList preferences={task.preferences} hidden />
        </Stack>
        <Stack component="section" spacing={1.5} aria-labelledby="chat-title" sx={{ order: { xs: 1, md: 2 } }}>
          <Box
            sx={{ display: 'flex', justifyContent: 'space-between', alignItems: 'flex-end', gap: 2, flexWrap: 'wrap' }}
          >
            <Typography id="chat-title" variant="h2" component="h1">
              Chat with the model
            </Typography>
            <InstructionsDrawer role="actor" />
          </Box>
          <Box sx={{ bgcolor: '#eef2f6', borderRadius: 2, p: 2 }}>
            <TaskCard text={question} speaker={name} />
          </Box>
          <Alert
            role="note"
            severity="info"
            action={
              <Button color="inherit" onClick={() => setRating(true)} sx={{ whiteSpace: 'nowrap' }}>
                Show the rating
              </Button>
            }
          >
            Here the model under test asks its questions and the actor answers as {name}. The preview does not call the
            model; the Practice step shows the chat with a pretend model.
          </Alert>
        </Stack>
      </Box>
    </Stack>
  );
}

export function RaterTaskPreview({ item, onSubmitted }: { item: BlindRatingItem | null; onSubmitted: () => void }) {
  if (!item) return <NoRecords />;
  return (
    <Stack spacing={2}>
      <StepIndicator role="rater" current="task" />
      <Box sx={{ display: 'flex', justifyContent: 'space-between', alignItems: 'flex-end', flexWrap: 'wrap', gap: 1 }}>
        <StepHeading id="rater-title" kicker="Sample item" title="Rate this answer for the person who asked" />
        <InstructionsDrawer role="rater" />
      </Box>
      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, alignItems: 'start' }}>
        <RatingItemView item={item} />
        <Box>
          <Typography variant="h3" component="h2" sx={{ mb: 1 }}>
            Your scores
          </Typography>
          <RatingForm
            criteria={item.rubric}
            busy={false}
            error={null}
            submitLabel="Submit and next"
            goldAnswer={goldAnswerText(item)}
            onSubmit={onSubmitted}
          />
        </Box>
      </Box>
    </Stack>
  );
}

function NoRecords() {
  return (
    <Alert role="note" severity="info">
      This study has no records yet, so there is no task to show. Import a benchmark file to preview the task pages.
    </Alert>
  );
}
