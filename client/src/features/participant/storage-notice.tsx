import Alert from '@mui/material/Alert';
import { useTranslation } from '../../i18n/index.ts';
import { useAppStore } from '../../store/index.ts';

/**
 * The server cannot save the conversation right now: it is paused and nothing is lost (replies wait here and go once
 * saving works; the notice then clears by itself), or saving failed for good and the session is ending.
 */
export function StorageNotice() {
  const { t } = useTranslation();
  const notice = useAppStore((s) => s.storageNotice);
  if (notice === null) return null;
  if (notice === 'failed') {
    return (
      <Alert severity="error" role="alert" sx={{ mb: 1 }}>
        {t('storage.failed')}
      </Alert>
    );
  }
  return (
    <Alert severity="warning" role="status" sx={{ mb: 1 }}>
      {t('storage.delayed')}
    </Alert>
  );
}
