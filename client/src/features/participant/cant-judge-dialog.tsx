import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import TextField from '@mui/material/TextField';
import { useState } from 'react';
import type { CantJudgeReason } from '../../../../shared/schemas/live-study.ts';
import { t, useTranslation } from '../../i18n/index.ts';

const CANT_JUDGE_REASONS: CantJudgeReason[] = ['unclear_task', 'outside_expertise', 'answer_unreadable', 'other'];

/** A can't-judge reason as the participant reads it. */
export function cantJudgeLabel(reason: CantJudgeReason): string {
  return t(`cantJudge.reasons.${reason}`);
}

interface CantJudgeDialogProps {
  open: boolean;
  busy: boolean;
  onClose: () => void;
  onConfirm: (reason: CantJudgeReason, note: string) => void;
}

/**
 * "I can't judge this": a reason (required) and a note, optional except for "Another reason", whose note is the
 * reason: until it is written the skip button stays disabled and the field says what it needs. The item then counts
 * as done.
 */
export function CantJudgeDialog({ open, busy, onClose, onConfirm }: CantJudgeDialogProps) {
  useTranslation(); // the dialog's texts follow the participant's language
  const [reason, setReason] = useState<CantJudgeReason | null>(null);
  const [note, setNote] = useState('');
  const [tried, setTried] = useState(false);
  const missingNote = reason === 'other' && note.trim() === '';
  const confirm = (): void => {
    setTried(true);
    if (reason === null || missingNote) return;
    onConfirm(reason, note.trim());
  };
  return (
    <Dialog open={open} onClose={onClose} aria-labelledby="cant-judge-title" fullWidth maxWidth="sm">
      <DialogTitle id="cant-judge-title">{t('cantJudge.title')}</DialogTitle>
      <DialogContent>
        <RadioGroup
          aria-labelledby="cant-judge-title"
          value={reason ?? ''}
          onChange={(_e, v) => setReason(v as CantJudgeReason)}
        >
          {CANT_JUDGE_REASONS.map((r) => (
            <FormControlLabel key={r} value={r} control={<Radio size="small" />} label={cantJudgeLabel(r)} />
          ))}
        </RadioGroup>
        <TextField
          label={reason === 'other' ? t('cantJudge.yourReason') : t('cantJudge.note')}
          required={reason === 'other'}
          fullWidth
          multiline
          minRows={2}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          error={tried && missingNote}
          helperText={
            tried && reason === null
              ? t('cantJudge.pickReason')
              : missingNote
                ? t('cantJudge.sayWhy')
                : t('cantJudge.countsAsDone')
          }
          slotProps={{ htmlInput: { maxLength: 2000 } }}
          sx={{ mt: 1 }}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t('common.cancel')}</Button>
        <Button variant="contained" onClick={confirm} disabled={busy || missingNote}>
          {busy ? t('rating.saving') : t('cantJudge.skip')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
