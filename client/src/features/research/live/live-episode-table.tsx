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
import type { LiveEpisode } from '../../../../../shared/schemas/api-research.ts';
import { useAppStore } from '../../../store/index.ts';
import { dateTime, localTime, num, shortId } from '../format.ts';
import { visuallyHidden } from '../../../ui/visually-hidden.ts';
import { PresenceCell } from './presence-cell.tsx';

/** Today's sessions need only the time; the full date is in the cell's title. */
function timeOfDay(iso: string): string {
  return localTime(iso, (d) => d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }));
}

export const EPISODE_STATUS_COLORS = {
  running: 'info',
  completed: 'success',
  failed: 'error',
  aborted: 'warning',
} as const;

/** The study's live sessions, newest first, with whether each running session's actor is there now. */
export function LiveEpisodeTable({ episodes }: { episodes: LiveEpisode[] }) {
  const watch = useAppStore((s) => s.watchEpisode);
  const watchedId = useAppStore((s) => s.studyView.watchedEpisodeId);
  return (
    <TableContainer component={Paper} variant="outlined">
      <Table size="small" aria-label="Live episodes">
        <TableHead>
          <TableRow>
            <TableCell scope="col">Record</TableCell>
            <TableCell scope="col">Actor</TableCell>
            <TableCell scope="col">Model</TableCell>
            <TableCell scope="col">Status</TableCell>
            <TableCell scope="col" align="right">
              Turns · score
            </TableCell>
            <TableCell scope="col" sx={{ pl: 0 }}>
              <span style={visuallyHidden}>Watch</span>
            </TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {episodes.map((e) => (
            <TableRow key={e.id} selected={e.id === watchedId}>
              <TableCell sx={{ fontSize: '0.8rem', minWidth: 140 }}>
                <Box component="span" sx={{ fontFamily: 'monospace', overflowWrap: 'anywhere' }}>
                  {e.problemId}
                </Box>
                <Box
                  component="span"
                  sx={{ display: 'block', color: 'text.secondary', whiteSpace: 'nowrap' }}
                  title={dateTime(e.startedAt)}
                >
                  started {timeOfDay(e.startedAt)}
                </Box>
              </TableCell>
              <TableCell sx={{ fontSize: '0.8rem' }}>
                {/* The Prolific id is how researchers talk about a person; the internal id is the fallback. */}
                <Box
                  component="span"
                  sx={{ display: 'block', fontFamily: 'monospace', overflowWrap: 'anywhere' }}
                  title={`participant ${e.participantId}`}
                >
                  {e.prolificPid ?? `id ${shortId(e.participantId, 6)}`}
                </Box>
                {/* Whether the person is there matters while the session runs; afterwards it would only distract. */}
                {e.status === 'running' && <PresenceCell presence={e.presence} />}
              </TableCell>
              <TableCell>{e.assistantModel}</TableCell>
              <TableCell>
                <Chip size="small" color={EPISODE_STATUS_COLORS[e.status]} label={e.status} title={e.failure?.reason} />
              </TableCell>
              <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
                {e.interactionTurns ?? '—'} · {num(e.weightedScore)}
              </TableCell>
              <TableCell sx={{ pl: 0 }}>
                <Button
                  size="small"
                  variant={e.id === watchedId ? 'contained' : 'outlined'}
                  onClick={() => watch(e.id)}
                  aria-label={`Watch episode ${e.id}`}
                >
                  Watch
                </Button>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
