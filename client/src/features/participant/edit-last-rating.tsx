import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useAppStore } from '../../store/index.ts';
import type { LastJudgment } from '../../store/rating-slice.ts';
import { CantJudgeDialog, cantJudgeLabel } from './cant-judge-dialog.tsx';
import { goldAnswerText, RatingItemView } from './rating-item-view.tsx';
import { RatingForm } from './rating-form.tsx';
import { StepHeading } from './step-heading.tsx';
import { useTranslation } from '../../i18n/index.ts';

/**
 * Changing the last judgment: the previous item again, its form filled with what was sent (or the can't-judge
 * reason), saved with rating:revise. The item in hand waits; Cancel returns to it unchanged.
 */
export function EditLastRating({ last }: { last: LastJudgment }) {
  const { t } = useTranslation();
  const error = useAppStore((s) => s.ratingError);
  const revise = useAppStore((s) => s.reviseLastRating);
  const editLast = useAppStore((s) => s.editLastRating);
  const [busy, setBusy] = useState(false);
  const [cantJudge, setCantJudge] = useState(false);
  const { item, verdict } = last;
  const save = async (next: Parameters<typeof revise>[0]): Promise<void> => {
    setBusy(true);
    await revise(next);
    setBusy(false);
  };
  return (
    <Stack spacing={2}>
      <StepHeading id="edit-rating-title" kicker={t('editLast.kicker')} title={t('editLast.title')} />
      {verdict.kind === 'cant_judge' && (
        <Alert role="note" severity="info">
          {t('editLast.cantJudgeNote', { reason: cantJudgeLabel(verdict.reason).toLowerCase() })}
        </Alert>
      )}
      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, alignItems: 'start' }}>
        <RatingItemView item={item} />
        <Box>
          <Typography variant="h3" component="h2" sx={{ mb: 1 }}>
            {t('rater.yourScores')}
          </Typography>
          <RatingForm
            criteria={item.rubric}
            busy={busy}
            error={error}
            submitLabel={t('editLast.save')}
            goldAnswer={goldAnswerText(item)}
            initial={
              verdict.kind === 'scores'
                ? {
                    scores: verdict.input.scores,
                    correct: verdict.input.correct,
                    justification: verdict.input.justification,
                  }
                : undefined
            }
            onSubmit={(r) => {
              if (r.correct === null) return;
              const input = {
                scores: r.scores,
                correct: r.correct,
                ...(r.justification ? { justification: r.justification } : {}),
              };
              void save({ kind: 'scores', input });
            }}
            actions={
              <>
                <Button onClick={() => editLast(false)}>{t('common.cancel')}</Button>
                {verdict.kind === 'scores' && (
                  <Button onClick={() => setCantJudge(true)}>{t('editLast.cantJudgeAfterAll')}</Button>
                )}
              </>
            }
          />
        </Box>
      </Box>
      <CantJudgeDialog
        open={cantJudge}
        busy={busy}
        onClose={() => setCantJudge(false)}
        onConfirm={(reason, note) => {
          setCantJudge(false);
          void save({ kind: 'cant_judge', reason, note });
        }}
      />
    </Stack>
  );
}
