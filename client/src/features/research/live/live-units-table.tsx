import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import type { LiveUnit } from '../../../../../shared/schemas/api-live-sessions.ts';
import { errorMessage } from '../../../http/request.ts';
import { localTime, shortId } from '../format.ts';
import { ReasonDialog } from './reason-dialog.tsx';
import { useEndOrRelease } from './use-live-units.ts';

/**
 * The units participants hold now: who, since when, how many replies, last activity. A unit started and never played
 * (no replies) is how hoarding shows. "End session…" stops a running one; "Release…" frees one held without a session.
 */
export function LiveUnitsTable({ studyId, units }: { studyId: string; units: LiveUnit[] }) {
  const [acting, setActing] = useState<LiveUnit | null>(null);
  const action = useEndOrRelease(studyId);
  const close = () => {
    setActing(null);
    action.reset();
  };
  return (
    <>
      <TableContainer component={Paper} variant="outlined">
        <Table size="small" aria-label="Units held now">
          <TableHead>
            <TableRow>
              <TableCell scope="col">Participant</TableCell>
              <TableCell scope="col">Started</TableCell>
              <TableCell scope="col" align="right">
                Replies
              </TableCell>
              <TableCell scope="col">Last activity</TableCell>
              <TableCell scope="col">Action</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {units.map((u) => (
              <TableRow key={`${u.episodeId}-${u.assignmentId ?? ''}`}>
                <TableCell sx={{ fontSize: '0.8rem' }}>
                  <Typography component="span" variant="body2" sx={{ fontFamily: 'monospace' }} title={u.participantId}>
                    {u.prolificPid ?? shortId(u.participantId, 6)}
                  </Typography>
                  <Typography component="span" variant="caption" sx={{ display: 'block', color: 'text.secondary' }}>
                    {u.problemId} · {u.model}
                  </Typography>
                </TableCell>
                <TableCell>
                  <When iso={u.startedAt} />
                </TableCell>
                <TableCell align="right">
                  {u.state === 'playing' && u.replies === 0 ? (
                    <Chip size="small" color="warning" label="0" title="Started, never played" />
                  ) : (
                    u.replies
                  )}
                </TableCell>
                <TableCell>
                  <When iso={u.lastActivityAt} />
                </TableCell>
                <TableCell>
                  <Button
                    size="small"
                    color="error"
                    variant="outlined"
                    sx={{ whiteSpace: 'nowrap' }}
                    onClick={() => setActing(u)}
                  >
                    {u.state === 'playing' ? 'End session…' : 'Release…'}
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
      {acting && (
        <ReasonDialog
          open
          title={acting.state === 'playing' ? 'End this session?' : 'Release this unit?'}
          text={
            acting.state === 'playing'
              ? 'The session stops now and is kept as failed with your reason; the participant sees that it ended, and the unit goes back to the queue.'
              : 'No session runs on this unit. Releasing it gives it back to the queue for someone else.'
          }
          confirmLabel={acting.state === 'playing' ? 'End session' : 'Release'}
          busy={action.isPending}
          error={action.error ? errorMessage(action.error) : null}
          onCancel={close}
          onConfirm={(reason) => action.mutate({ unit: acting, reason }, { onSuccess: close })}
        />
      )}
    </>
  );
}

/**
 * A time as its date over its time of day. On one line each of the two times took about 170 px, and the table, beside
 * the watched transcript, was wider than its column on a 1,400 px window: the actions were off to the right, and
 * their labels broke over two lines.
 */
function When({ iso }: { iso: string }) {
  return (
    <>
      <Box component="span" sx={{ display: 'block', whiteSpace: 'nowrap' }}>
        {localTime(iso, (d) => d.toLocaleDateString())}
      </Box>
      <Box component="span" sx={{ display: 'block', whiteSpace: 'nowrap', color: 'text.secondary' }}>
        {localTime(iso, (d) => d.toLocaleTimeString())}
      </Box>
    </>
  );
}
