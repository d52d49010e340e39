import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import { useAppStore } from '../../store/index.ts';

/**
 * Says when the live connection is gone, and that nothing typed is lost: replies wait in the browser and are sent
 * when it is back. Refusals (outdated page, ended session) cannot heal by themselves, so they offer a reload.
 */
export function ConnectionBanner() {
  const connection = useAppStore((s) => s.connection);
  const error = useAppStore((s) => s.connectionError);
  if (connection === 'refused') {
    return (
      <Alert
        severity="error"
        square
        action={
          <Button color="inherit" onClick={() => window.location.reload()}>
            Reload
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
      Connection lost — reconnecting… What you type is kept and will be sent as soon as the connection is back.
    </Alert>
  );
}
