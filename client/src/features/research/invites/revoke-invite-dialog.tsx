import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import type { Invite, InviteRevokeMode } from '../../../../../shared/schemas/api-studies.ts';
import { revokeSummary } from './invite-status.ts';

/**
 * Revoking cannot be undone, and it reaches people already at work, so the dialog says how many joined through the
 * link and how many are mid-task, and asks what becomes of them: finishing is the default.
 */
export function RevokeInviteDialog({
  invite,
  busy,
  onCancel,
  onRevoke,
}: {
  /** Mounted per link (keyed by code), so each opens with the default choice. */
  invite: Invite;
  busy: boolean;
  onCancel: () => void;
  onRevoke: (mode: InviteRevokeMode) => void;
}) {
  const [mode, setMode] = useState<InviteRevokeMode>('finish');
  return (
    <Dialog open onClose={onCancel} aria-labelledby="revoke-invite-title">
      <DialogTitle id="revoke-invite-title">
        Revoke {invite.label ? `“${invite.label}”` : `this ${invite.role} link`}?
      </DialogTitle>
      <DialogContent>
        <DialogContentText>
          Nobody new can join through it afterwards, and it cannot be undone (make a new link instead).
        </DialogContentText>
        <Typography variant="body2" sx={{ mt: 1.5, fontWeight: 500 }}>
          {revokeSummary(invite)}
        </Typography>
        <RadioGroup
          aria-label="What happens to people who joined"
          value={mode}
          onChange={(e) => setMode(e.target.value === 'lock' ? 'lock' : 'finish')}
          sx={{ mt: 1.5 }}
        >
          <FormControlLabel
            value="finish"
            control={<Radio />}
            label="Let people mid-task finish: those who joined keep their session and may reopen the link to continue"
          />
          <FormControlLabel
            value="lock"
            control={<Radio />}
            label="Lock everyone out: end the sessions of everyone who joined through this link, now"
          />
        </RadioGroup>
        {mode === 'lock' && invite.midTask > 0 && (
          <Alert role="note" severity="warning" variant="outlined" sx={{ mt: 1 }}>
            People mid-task are cut off and told their session ended; reopening the link will not let them back in.
            Their unfinished sessions end at the idle timeout and their assignments go back to the queue.
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel} autoFocus>
          Keep the link
        </Button>
        <Button color="error" variant="contained" loading={busy} onClick={() => onRevoke(mode)}>
          Revoke for good
        </Button>
      </DialogActions>
    </Dialog>
  );
}
