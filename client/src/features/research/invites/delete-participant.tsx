import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import {
  ParticipantDeletionResultSchema,
  type ParticipantDeletionResult,
} from '../../../../../shared/schemas/participant-deletion.ts';
import { errorMessage, postJson } from '../../../http/request.ts';

/** POST /api/studies/:studyId/participants/delete (docs/data-protection.md, "Withdrawal and deletion"). */
function deleteParticipant(studyId: string, prolificId: string): Promise<ParticipantDeletionResult> {
  return postJson(
    `/api/studies/${encodeURIComponent(studyId)}/participants/delete`,
    { prolificId },
    ParticipantDeletionResultSchema,
  );
}

/**
 * Deleting one participant's data by Prolific id, for a person who asks by message instead of withdrawing in the app.
 * It cannot be undone, so a dialog names the id and says what goes before anything is deleted.
 */
export function DeleteParticipant({ studyId }: { studyId: string }) {
  const queryClient = useQueryClient();
  const [prolificId, setProlificId] = useState('');
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation({
    mutationFn: (pid: string) => deleteParticipant(studyId, pid),
    // Counts, progress, exports and reports all change: refetch what the console shows.
    onSuccess: () => void queryClient.invalidateQueries(),
    onSettled: () => setConfirming(false),
  });
  const pid = prolificId.trim();
  return (
    <Stack spacing={1} component="section" aria-label="Delete a participant">
      <Typography variant="h3" component="h2">
        Delete a participant
      </Typography>
      <Typography variant="body2" color="text.secondary">
        For a person who asks to have their data deleted. Everything they did in this study goes for good: episodes and
        their simulated twins, ratings they gave and ratings of their answers, self-ratings, labels, consent record and
        sessions. Only a record that a deletion happened is kept (no ids). Participants can also withdraw themselves.
      </Typography>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
        <TextField
          size="small"
          label="Prolific ID"
          value={prolificId}
          onChange={(e) => setProlificId(e.target.value)}
          slotProps={{ htmlInput: { maxLength: 100 } }}
        />
        <Button
          variant="outlined"
          color="error"
          disabled={pid === ''}
          onClick={() => {
            remove.reset();
            setConfirming(true);
          }}
        >
          Delete…
        </Button>
      </Stack>
      {remove.isError && <Alert severity="error">{errorMessage(remove.error)}</Alert>}
      {remove.data && (
        <Alert severity="success" role="status">
          Deleted: {remove.data.episodes} episode(s), {remove.data.twins} twin(s), {remove.data.ratings} rating(s).
        </Alert>
      )}
      <Dialog open={confirming} onClose={() => setConfirming(false)} aria-labelledby="delete-participant-title">
        <DialogTitle id="delete-participant-title">Delete the participant “{pid}”?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            Their data is deleted in one step and cannot be restored. Agreement reports computed afterwards leave them
            out, so a report’s hash changes. If they are at work now, their session ends.
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirming(false)} disabled={remove.isPending}>
            Cancel
          </Button>
          <Button variant="contained" color="error" loading={remove.isPending} onClick={() => remove.mutate(pid)}>
            Delete for good
          </Button>
        </DialogActions>
      </Dialog>
    </Stack>
  );
}
