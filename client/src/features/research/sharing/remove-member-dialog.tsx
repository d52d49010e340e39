import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import type { StudyMember } from '../../../../../shared/schemas/study-access.ts';

/** Confirms taking a researcher's access away; a refusal (the last owner) stays in the dialog in the server's words. */
export function RemoveMemberDialog({
  member,
  self,
  busy,
  error,
  onCancel,
  onRemove,
}: {
  member: StudyMember;
  self: boolean;
  busy: boolean;
  error: string | null;
  onCancel: () => void;
  onRemove: () => void;
}) {
  return (
    <Dialog open onClose={onCancel} aria-labelledby="remove-member-title">
      <DialogTitle id="remove-member-title">
        Remove {self ? 'yourself' : `“${member.username}”`} from this study?
      </DialogTitle>
      <DialogContent>
        <DialogContentText>
          {self ? 'You' : member.username} will no longer see this study or anything in it. The account itself stays,
          and what was done in the study stays in its audit log. An owner can give access again later.
        </DialogContentText>
        {error && (
          <Alert severity="error" sx={{ mt: 2 }}>
            {error}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel} disabled={busy}>
          Cancel
        </Button>
        <Button variant="contained" color="error" loading={busy} onClick={onRemove}>
          Remove
        </Button>
      </DialogActions>
    </Dialog>
  );
}
