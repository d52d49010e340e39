import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { OkSchema } from '../../../../shared/schemas/api-common.ts';
import { errorMessage, postJson } from '../../http/request.ts';
import { useTranslation } from '../../i18n/index.ts';

/** POST /api/participant/withdraw: deletes the participant's data and ends their session (docs/data-protection.md). */
function withdraw(): Promise<unknown> {
  return postJson('/api/participant/withdraw', {}, OkSchema);
}

/**
 * "Withdraw" in the participant header: one button, a dialog saying what is deleted and that it cannot be undone,
 * and one confirming action. `onWithdrawn` runs once the server has deleted the data.
 */
export function WithdrawControl({ onWithdrawn }: { onWithdrawn: () => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirm = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await withdraw();
      setOpen(false);
      onWithdrawn();
    } catch (err) {
      setError(t('withdraw.failed', { message: errorMessage(err) }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button color="inherit" size="small" onClick={() => setOpen(true)} sx={{ ml: 'auto' }}>
        {t('withdraw.open')}
      </Button>
      <Dialog
        open={open}
        onClose={() => !busy && setOpen(false)}
        aria-labelledby="withdraw-title"
        aria-describedby="withdraw-body"
        fullWidth
        maxWidth="sm"
      >
        <DialogTitle id="withdraw-title">{t('withdraw.title')}</DialogTitle>
        <DialogContent>
          <DialogContentText id="withdraw-body">{t('withdraw.body')}</DialogContentText>
          <DialogContentText sx={{ mt: 1 }}>{t('withdraw.payment')}</DialogContentText>
          {error && (
            <Alert severity="error" role="alert" sx={{ mt: 1 }}>
              {error}
            </Alert>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)} disabled={busy}>
            {t('common.cancel')}
          </Button>
          <Button variant="contained" color="error" onClick={() => void confirm()} disabled={busy}>
            {busy ? t('withdraw.working') : t('withdraw.confirm')}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}

/** The page after withdrawing: the data is gone and there is nothing left to do. */
export function WithdrawnPage() {
  const { t } = useTranslation();
  return (
    <Paper variant="outlined" sx={{ p: 3, maxWidth: 640, mx: 'auto' }}>
      <Typography variant="h2" component="h1" gutterBottom>
        {t('withdraw.doneTitle')}
      </Typography>
      <Typography role="status">{t('withdraw.doneBody')}</Typography>
    </Paper>
  );
}
