import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import { useMemo } from 'react';
import { errorMessage } from '../../../http/request.ts';
import { useAppStore } from '../../../store/index.ts';
import { ErrorAlert } from '../../../ui/error-alert.tsx';
import { num, shortId } from '../format.ts';
import { EPISODE_STATUS_COLORS } from '../live/live-episode-table.tsx';
import { transcriptRows } from '../live/transcript-rows.ts';
import { TranscriptView } from '../live/transcript-view.tsx';
import { useStoredEpisode } from './use-episode.ts';

const SEAT: Record<string, string> = { person: 'person', simulated: 'simulated user', none: 'no user' };

/**
 * A stored episode's whole transcript — batch, live or simulated twin — with its judge scores, opened from a run's
 * episode list or an answer in the rating queue. One dialog for the console; the store says which episode is open.
 */
export function EpisodeDialog() {
  const episodeId = useAppStore((s) => s.viewedEpisodeId);
  const view = useAppStore((s) => s.viewEpisode);
  const query = useStoredEpisode(episodeId);
  const close = () => view(null);
  const episode = query.data ?? null;
  const rows = useMemo(() => transcriptRows(episode?.events ?? []), [episode]);
  const s = episode?.summary;
  return (
    <Dialog
      open={episodeId !== null}
      onClose={close}
      maxWidth="md"
      fullWidth
      scroll="paper"
      aria-labelledby="episode-dialog-title"
    >
      <DialogTitle id="episode-dialog-title" title={episodeId ?? undefined}>
        Episode {shortId(episodeId ?? '', 12)}
      </DialogTitle>
      {/* The transcript scrolls inside the dialog: keyboard users reach it with Tab and scroll it with the arrows. */}
      <DialogContent dividers tabIndex={0} role="region" aria-label="Episode transcript">
        {query.isFetching && !episode && (
          <Stack spacing={1} aria-label="Loading the episode">
            {[0, 1, 2].map((i) => (
              <Skeleton key={i} variant="rounded" height={56} />
            ))}
          </Stack>
        )}
        {query.error && (
          <ErrorAlert
            title="Could not load the episode"
            message={errorMessage(query.error)}
            onRetry={() => void query.refetch()}
          />
        )}
        {s && (
          <Stack spacing={2}>
            <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap' }}>
              <Chip size="small" label={s.problemId} />
              <Chip size="small" label={`${s.mode} · ${s.userType}`} />
              <Chip
                size="small"
                label={SEAT[s.userSeat] ?? s.userSeat}
                color={s.userSeat === 'person' ? 'primary' : 'default'}
              />
              <Chip size="small" label={`model ${s.assistantModel}`} />
              <Chip size="small" label={`judge ${s.judgeModel}`} />
              <Chip size="small" label={s.status} color={EPISODE_STATUS_COLORS[s.status]} />
              <Chip size="small" label={`PrefAlign ${num(s.weightedScore)}`} />
              <Chip size="small" label={`correct ${s.correct ?? '—'}`} />
            </Stack>
            {s.failure && (
              <Box sx={{ color: 'error.main' }}>
                Failed at {s.failure.stage}: {s.failure.reason}
              </Box>
            )}
            <TranscriptView rows={rows} personSeat={s.userSeat === 'person'} />
          </Stack>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={close}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
