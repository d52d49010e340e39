import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import { navigate } from '../../app/router.ts';
import { Narrow } from './participant-gate.tsx';

/** Someone went back (browser history) to a task that is already over: point them to where they finished. */
export function FinishedNotice() {
  return (
    <Narrow>
      <Alert
        severity="info"
        action={
          <Button color="inherit" onClick={() => navigate('/done')}>
            Show my completion page
          </Button>
        }
      >
        This task is finished; there is nothing more to do here.
      </Alert>
    </Narrow>
  );
}
