import Stack from '@mui/material/Stack';
import type { BlindRatingItem } from '../../../../shared/schemas/live-study.ts';
import { AnswerCard } from './answer-card.tsx';
import { PersonaPanel } from './persona-panel.tsx';
import { PreferenceList } from './preference-list.tsx';
import { TaskView } from './task-view.tsx';
import { TranscriptToggle } from './transcript-toggle.tsx';
import { useTranslation } from '../../i18n/index.ts';

/**
 * The blinded item as a rater reads it: the task, the answer, the dialogue if shown, who asked and what they want.
 * On a phone the answer has its own panel (`withAnswer` false), one tap from the criterion being scored.
 */
export function RatingItemView({ item, withAnswer = true }: { item: BlindRatingItem; withAnswer?: boolean }) {
  const { t } = useTranslation();
  return (
    <Stack spacing={2}>
      <TaskView task={item.task} />
      {withAnswer && <AnswerCard title={t('rater.answer')} text={item.answer} />}
      {item.transcript && item.transcript.length > 0 && <TranscriptToggle turns={item.transcript} />}
      <PersonaPanel persona={item.persona} title={t('rater.whoAsked')} />

      <PreferenceList preferences={item.preferences} hidden={false} />
    </Stack>
  );
}

/** The correct answer as shown beside the correctness question: the option key and its text for multiple choice. */
export function goldAnswerText(item: BlindRatingItem): string {
  const option = item.task.options[item.task.goldAnswer];
  return option === undefined ? item.task.goldAnswer : `${item.task.goldAnswer} — ${option}`;
}
