import Alert from '@mui/material/Alert';
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
import type { RatingFlagKind } from '../../../../shared/schemas/live-study.ts';
import { useTranslation } from '../../i18n/index.ts';

const FLAG_KINDS: RatingFlagKind[] = ['broken', 'offensive', 'wrong_gold', 'other'];

interface FlagDialogProps {
  open: boolean;
  onClose: () => void;
  /** Resolves to an error message, or null once the report is stored. */
  onSend: (kind: RatingFlagKind, note: string) => Promise<string | null>;
}

/** "Report a problem" with the item: a kind and an optional note, stored for the researchers. Rating goes on. */
export function FlagDialog({ open, onClose, onSend }: FlagDialogProps) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<RatingFlagKind | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const send = async (): Promise<void> => {
    if (kind === null) return setError(t('flag.pickKind'));
    setBusy(true);
    const failure = await onSend(kind, note.trim());
    setBusy(false);
    setError(failure);
    if (failure === null) setSent(true);
  };
  return (
    <Dialog open={open} onClose={onClose} aria-labelledby="flag-title" fullWidth maxWidth="sm">
      <DialogTitle id="flag-title">{t('flag.title')}</DialogTitle>
      <DialogContent>
        {sent ? (
          <Alert role="status" severity="success">
            {t('flag.thanks')}
          </Alert>
        ) : (
          <>
            <RadioGroup
              aria-labelledby="flag-title"
              value={kind ?? ''}
              onChange={(_e, v) => setKind(v as RatingFlagKind)}
            >
              {FLAG_KINDS.map((k) => (
                <FormControlLabel key={k} value={k} control={<Radio size="small" />} label={t(`flag.kinds.${k}`)} />
              ))}
            </RadioGroup>
            <TextField
              label={t('cantJudge.note')}
              fullWidth
              multiline
              minRows={2}
              value={note}
              onChange={(e) => setNote(e.target.value)}
              slotProps={{ htmlInput: { maxLength: 2000 } }}
              sx={{ mt: 1 }}
            />
            {error && (
              <Alert severity="error" role="alert" sx={{ mt: 1 }}>
                {error}
              </Alert>
            )}
          </>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{sent ? t('common.close') : t('common.cancel')}</Button>
        {!sent && (
          <Button variant="contained" onClick={() => void send()} disabled={busy}>
            {busy ? t('flag.sending') : t('flag.send')}
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}
