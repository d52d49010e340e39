import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import { useTranslation } from '../../i18n/index.ts';
import { useAppStore } from '../../store/index.ts';

/**
 * Says when the live connection is gone, and that nothing typed is lost: replies wait in the browser and are sent
 * when it is back. Refusals (outdated page, ended session) cannot heal by themselves, so they offer a reload.
 */
export function ConnectionBanner() {
  const { t } = useTranslation();
  const connection = useAppStore((s) => s.connection);
  const error = useAppStore((s) => s.connectionError);
  if (connection === 'refused') {
    return (
      <Alert
        severity="error"
        square
        action={
          <Button color="inherit" onClick={() => window.location.reload()}>
            {t('connection.reload')}
          </Button>
        }
      >
        {error}
      </Alert>
    );
  }
  if (connection !== 'reconnecting') return null;
  return (
    <Alert severity="warning" square role="status">
      {t('connection.lost')}
    </Alert>
  );
}
