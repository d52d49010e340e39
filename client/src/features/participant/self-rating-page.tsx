import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import { useState } from 'react';
import { PageLoading } from '../../app/page-loading.tsx';
import { navigate } from '../../app/router.ts';
import { useTranslation } from '../../i18n/index.ts';
import { useAppStore } from '../../store/index.ts';
import { finalAnswerOf, messagesOf } from '../../store/play-log.ts';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { ActionNotice } from './action-notice.tsx';
import { AnswerCard } from './answer-card.tsx';
import { FinishedNotice } from './finished-notice.tsx';
import { Narrow } from './participant-gate.tsx';
import { PhoneContextBar } from './phone-context-bar.tsx';
import { RatingLayout } from './rating-layout.tsx';
import { PreferenceList } from './preference-list.tsx';
import { InstructionsDrawer } from './instructions-drawer.tsx';
import { RatingForm, type RatingFormResult } from './rating-form.tsx';
import { StepIndicator } from './step-indicator.tsx';
import { StepHeading } from './step-heading.tsx';
import { TaskCard } from './task-card.tsx';
import { textAt } from './persona-facts.ts';
import { usePhoneLayout } from './use-phone-layout.ts';
import { useStartPlay } from './use-start-play.ts';

/** The actor rates the model's final answer on the persona's own rubric, as the person they played. */
export function SelfRatingPage() {
  const { t } = useTranslation();
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
  const phone = usePhoneLayout();

  if (!episode) {
    if (phase === 'error')
      return (
        <Narrow>
          <ErrorAlert
            title={t('selfRating.loadFailed')}
            message={playError ?? t('errors.internal')}
            onRetry={() => void startPlay()}
          />
        </Narrow>
      );
    return <PageLoading label={t('selfRating.loading')} />;
  }
  if (phase === 'done') return <FinishedNotice />;
  const answer = finalAnswerOf(events);
  if (!answer) {
    return (
      <Narrow>
        <ActionNotice action={t('selfRating.backToChat')} onAction={() => navigate('/play')}>
          {t('selfRating.notYet')}
        </ActionNotice>
      </Narrow>
    );
  }
  const name = textAt(episode.persona, 'name') ?? t('chat.yourPersona');
  const task = messagesOf(events).find((m) => m.kind === 'opening');
  // Correctness is not asked of actors (they never see the correct answer); only scores and a comment are sent.
  const submit = ({ scores, justification }: RatingFormResult): void => {
    void submitSelfRating({
      scores,
      ...(justification ? { justification } : {}),
      secondsSpent: Math.round((Date.now() - shownAt) / 100) / 10,
    });
  };
  // Shown side by side on a wide screen; on a phone, the answer and the task in panels of their own.
  const finalAnswer = <AnswerCard title={t('selfRating.modelFinalAnswer')} text={answer.text} />;
  const taskAndPreferences = (
    <>
      {task && <TaskCard text={task.text} speaker={name} />}
      <PreferenceList
        preferences={episode.preferences}
        hidden={false}
        title={t('selfRating.preferencesOf', { name })}
      />
    </>
  );
  return (
    <Stack spacing={2}>
      <StepIndicator role="actor" current="task" />
      <Box sx={{ display: 'flex', justifyContent: 'space-between', alignItems: 'flex-end', flexWrap: 'wrap', gap: 1 }}>
        <StepHeading id="self-rating-title" kicker={t('selfRating.kicker')} title={t('selfRating.title', { name })} />
        <InstructionsDrawer role="actor" />
      </Box>
      <RatingLayout
        phone={phone}
        context={
          phone ? (
            <PhoneContextBar
              initial="answer"
              panels={[
                {
                  id: 'answer',
                  title: t('selfRating.finalAnswerPanel'),
                  show: t('selfRating.showAnswer'),
                  hide: t('selfRating.hideAnswer'),
                  content: finalAnswer,
                },
                {
                  id: 'task',
                  title: t('selfRating.taskPanel'),
                  show: t('selfRating.showTask'),
                  hide: t('selfRating.hideTask'),
                  content: <Stack spacing={2}>{taskAndPreferences}</Stack>,
                },
              ]}
            />
          ) : (
            <Stack spacing={2}>
              {finalAnswer}
              {taskAndPreferences}
            </Stack>
          )
        }
        form={
          <RatingForm
            criteria={episode.rubric}
            busy={busy}
            error={error}
            submitLabel={t('selfRating.submit')}

            askCorrectness={false}
            stepped={phone}
            draftKey={`self:${episode.episodeId}`}
            onSubmit={submit}
          />
        }
      />
    </Stack>
  );
}
