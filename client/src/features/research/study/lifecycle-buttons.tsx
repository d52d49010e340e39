import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import { useState } from 'react';
import type { StudyStatus } from '../../../../../shared/schemas/live-study.ts';
import type { StudyTransition } from '../../../http/study-admin-api.ts';

/** Open, pause and close, offered only where the server allows them; closing asks first because it is final. */
export function LifecycleButtons({
  status,
  transitioning,
  onTransition,
}: {
  status: StudyStatus | 'unconfigured' | null;
  /** The change in flight, if any. */
  transitioning: StudyTransition | null;
  onTransition: (action: StudyTransition) => void;
}) {
  // One change at a time, as the server applies them.
  const transition = (action: StudyTransition) => {
    if (transitioning === null) onTransition(action);
  };
  const [confirmClose, setConfirmClose] = useState(false);
  if (status === null || status === 'closed') return null;

  const canOpen = status === 'draft' || status === 'paused' || status === 'unconfigured';
  return (
    <Stack direction="row" spacing={1} sx={{ flexShrink: 0 }}>
      {canOpen && (
        <Button
          variant="contained"
          color="success"
          loading={transitioning === 'open'}
          onClick={() => transition('open')}
          title={status === 'unconfigured' ? 'Save the settings first' : undefined}
        >
          {status === 'paused' ? 'Resume' : 'Open study'}
        </Button>
      )}
      {status === 'open' && (
        <Button
          variant="outlined"
          color="warning"
          loading={transitioning === 'pause'}
          onClick={() => transition('pause')}
        >
          Pause
        </Button>
      )}
      {(status === 'open' || status === 'paused') && (
        <Button
          variant="outlined"
          color="error"
          loading={transitioning === 'close'}
          onClick={() => setConfirmClose(true)}
        >
          Close…
        </Button>
      )}
      <Dialog open={confirmClose} onClose={() => setConfirmClose(false)} aria-labelledby="close-study-title">
        <DialogTitle id="close-study-title">Close this study?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            Closing is final: invitation links stop admitting people, no new plays or ratings are handed out, and the
            settings can no longer change. Everything recorded so far is kept and can still be exported.
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirmClose(false)} autoFocus>
            Keep it open
          </Button>
          <Button
            color="error"
            variant="contained"
            onClick={() => {
              setConfirmClose(false);
              transition('close');
            }}
          >
            Close the study
          </Button>
        </DialogActions>
      </Dialog>
    </Stack>
  );
}
