import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import { PageLoading } from '../../app/page-loading.tsx';
import { useAppStore } from '../../store/index.ts';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { CantJudgeDialog } from './cant-judge-dialog.tsx';
import { EditLastRating } from './edit-last-rating.tsx';
import { FlagDialog } from './flag-dialog.tsx';
import { InstructionsDrawer } from './instructions-drawer.tsx';
import { ItemTimer } from './item-timer.tsx';
import { Narrow } from './participant-gate.tsx';
import { PhoneContextBar } from './phone-context-bar.tsx';
import { RatingLayout } from './rating-layout.tsx';
import { AnswerCard } from './answer-card.tsx';
import { raterProgressText } from './rater-progress.ts';
import { goldAnswerText, RatingItemView } from './rating-item-view.tsx';
import { RatingForm } from './rating-form.tsx';
import { StepHeading } from './step-heading.tsx';
import { StepIndicator } from './step-indicator.tsx';
import { usePhoneLayout } from './use-phone-layout.ts';
import { useTranslation } from '../../i18n/index.ts';

/**
 * A rater's workspace: one blinded item at a time (who asked, what they wanted, the task, the answer), scored on the
 * rubric, or set aside as "can't judge"; the last judgment can be changed until the next one is made, and any item
 * can be reported. The item carries no model, condition or source; nothing here could show one.
 */
export function RaterPage() {
  const { t } = useTranslation();
  const item = useAppStore((s) => s.ratingItem);
  const status = useAppStore((s) => s.ratingStatus);
  const error = useAppStore((s) => s.ratingError);
  const counts = useAppStore((s) => s.ratingCounts);
  const last = useAppStore((s) => s.ratingLast);
  const editing = useAppStore((s) => s.ratingEditing);
  const nextRating = useAppStore((s) => s.nextRating);
  const submitRating = useAppStore((s) => s.submitRating);
  const skipRating = useAppStore((s) => s.skipRating);
  const editLastRating = useAppStore((s) => s.editLastRating);
  const flagRatingItem = useAppStore((s) => s.flagRatingItem);
  const loadRatingCounts = useAppStore((s) => s.loadRatingCounts);
  const connected = useAppStore((s) => s.connection === 'connected');
  const shownAt = useAppStore((s) => s.ratingShownAt);
  const [dialog, setDialog] = useState<'cant_judge' | 'flag' | null>(null);
  const phone = usePhoneLayout();

  useEffect(() => {
    // Coming back to the page (from the done page, say) asks the queue again; the first connection does too.
    if (connected && !item && status === 'idle') void nextRating();
  }, [connected, item, status, nextRating]);
  useEffect(() => {
    // The counters come with every judgment; the first item of a visit needs them asked for.
    if (connected && counts === null) void loadRatingCounts();
  }, [connected, counts, loadRatingCounts]);

  if (editing && last) return <EditLastRating last={last} />;
  if (!item) {
    if (status === 'error')
      return (
        <Narrow>
          <ErrorAlert
            title={t('rater.loadFailed')}
            message={error ?? t('errors.internal')}
            onRetry={() => void nextRating()}
          />
        </Narrow>
      );
    return <PageLoading label={t('rater.finding')} />;
  }
  const busy = status === 'submitting';
  return (
    <Stack spacing={2}>
      <StepIndicator role="rater" current="task" />
      <Box sx={{ display: 'flex', justifyContent: 'space-between', alignItems: 'flex-end', flexWrap: 'wrap', gap: 1 }}>
        {/* Keyed by item: each new item takes focus to its heading, so keyboard and screen-reader users start at the top. */}
        <StepHeading
          key={item.itemId}
          id="rater-title"
          kicker={raterProgressText(counts, true)}
          title={t('rater.title')}
        />
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
          <ItemTimer key={`timer-${item.itemId}`} since={shownAt} />
          <InstructionsDrawer role="rater" />
        </Box>
      </Box>
      {last && (
        <Alert
          role="status"
          severity="success"
          action={
            <Button color="inherit" size="small" onClick={() => editLastRating(true)}>
              {t('rater.changeIt')}
            </Button>
          }
        >
          {last.verdict.kind === 'scores' ? t('rater.lastSaved') : t('rater.lastCantJudgeSaved')}
        </Alert>
      )}
      <RatingLayout
        phone={phone}
        context={
          phone ? (
            <PhoneContextBar
              key={`context-${item.itemId}`}
              initial="answer"
              panels={[
                {
                  id: 'answer',
                  title: t('rater.answer'),
                  show: t('rater.showAnswer'),
                  hide: t('rater.hideAnswer'),
                  content: <AnswerCard title={t('rater.answer')} text={item.answer} landmark={false} />,
                },
                {
                  id: 'item',
                  title: t('rater.itemPanel'),
                  show: t('rater.showItem'),
                  hide: t('rater.hideItem'),
                  content: <RatingItemView item={item} withAnswer={false} />,
                },
              ]}
            />
          ) : (
            <RatingItemView item={item} />
          )
        }
        form={
          <>
            <Typography variant="h3" component="h2" sx={{ mb: 1 }}>
              {t('rater.yourScores')}
            </Typography>
            <RatingForm
              key={item.itemId}
              criteria={item.rubric}
              busy={busy}
              error={error}
              submitLabel={t('rater.submitNext')}
              goldAnswer={goldAnswerText(item)}
              stepped={phone}
              draftKey={`rater:${item.itemId}`}
              onSubmit={(r) => {
                if (r.correct === null) return;
                void submitRating({
                  scores: r.scores,
                  correct: r.correct,
                  ...(r.justification ? { justification: r.justification } : {}),
                });
              }}
              actions={
                <>
                  <Button variant="outlined" onClick={() => setDialog('cant_judge')} disabled={busy}>
                    {t('rater.cantJudge')}
                  </Button>
                  <Button onClick={() => setDialog('flag')}>{t('rater.report')}</Button>
                </>
              }
            />
          </>
        }
      />
      <CantJudgeDialog
        key={`skip-${item.itemId}`}
        open={dialog === 'cant_judge'}
        busy={busy}
        onClose={() => setDialog(null)}
        onConfirm={(reason, note) => {
          setDialog(null);
          void skipRating(reason, note);
        }}
      />
      <FlagDialog
        key={`flag-${item.itemId}`}
        open={dialog === 'flag'}
        onClose={() => setDialog(null)}
        onSend={(kind, note) => flagRatingItem(item.itemId, kind, note)}
      />
    </Stack>
  );
}
