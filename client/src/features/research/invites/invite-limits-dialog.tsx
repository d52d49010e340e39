import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { useState } from 'react';
import type { Invite, UpdateInviteBody } from '../../../../../shared/schemas/api-studies.ts';
import { draftOf, limitsBody, type LimitsDraft } from './invite-status.ts';

/** Edits a link's label, participant cap and expiry. Mounted per link (keyed by code), so it starts from its values. */
export function InviteLimitsDialog({
  invite,
  busy,
  error,
  onCancel,
  onSave,
}: {
  invite: Invite;
  busy: boolean;
  /** The server's refusal of the last save, if any. */
  error: string | null;
  onCancel: () => void;
  onSave: (body: UpdateInviteBody) => void;
}) {
  const [draft, setDraft] = useState<LimitsDraft>(() => draftOf(invite));
  const [fieldError, setFieldError] = useState<{ field: keyof LimitsDraft; message: string } | null>(null);
  const set = (field: keyof LimitsDraft) => (e: { target: { value: string } }) => {
    setDraft((d) => ({ ...d, [field]: e.target.value }));
    setFieldError(null);
  };
  const helper = (field: keyof LimitsDraft, text: string) => (fieldError?.field === field ? fieldError.message : text);
  const save = () => {
    const result = limitsBody(draft);
    if ('field' in result) setFieldError(result);
    else onSave(result.body);
  };

  return (
    <Dialog open onClose={onCancel} aria-labelledby="invite-limits-title" fullWidth maxWidth="sm">
      <DialogTitle id="invite-limits-title">Edit the {invite.role} link</DialogTitle>
      <DialogContent>
        <Stack spacing={2.5} sx={{ pt: 1 }}>
          <TextField
            label="Label"
            value={draft.label}
            onChange={set('label')}
            error={fieldError?.field === 'label'}
            helperText={helper('label', 'Shown here only, to tell links apart (e.g. “Prolific pilot, UK”).')}
            slotProps={{ htmlInput: { maxLength: 200 } }}
          />
          <TextField
            label="Participant cap"
            type="number"
            value={draft.maxParticipants}
            onChange={set('maxParticipants')}
            error={fieldError?.field === 'maxParticipants'}
            helperText={helper(
              'maxParticipants',
              `How many people may join through this link (${invite.participants} so far); people who joined can always come back. Empty for no cap.`,
            )}
            slotProps={{ htmlInput: { min: 1, step: 1 } }}
          />
          <TextField
            label="Expires"
            type="datetime-local"
            value={draft.expiresAt}
            onChange={set('expiresAt')}
            error={fieldError?.field === 'expiresAt'}
            helperText={helper(
              'expiresAt',
              'Your local time. After it nobody new can join; people who joined can come back to finish. Empty for never.',
            )}
            slotProps={{ inputLabel: { shrink: true } }}
          />
          {error && <Alert severity="error">{error}</Alert>}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onCancel}>Cancel</Button>
        <Button variant="contained" loading={busy} onClick={save}>
          Save
        </Button>
      </DialogActions>
    </Dialog>
  );
}
