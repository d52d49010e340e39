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
import { useAppStore } from '../../../store/index.ts';
import { ErrorAlert } from '../../../ui/error-alert.tsx';
import { num, shortId } from '../format.ts';
import { EPISODE_STATUS_COLORS } from '../live/live-episode-table.tsx';
import { transcriptRows } from '../live/transcript-rows.ts';
import { TranscriptView } from '../live/transcript-view.tsx';

const SEAT: Record<string, string> = { person: 'person', simulated: 'simulated user', none: 'no user' };

/**
 * A stored episode's whole transcript — batch, live or simulated twin — with its judge scores, opened from a run's
 * episode list or an answer in the rating queue. One dialog for the console, driven by the store.
 */
export function EpisodeDialog() {
  const viewed = useAppStore((s) => s.viewedEpisode);
  const close = useAppStore((s) => s.closeEpisode);
  const retry = useAppStore((s) => s.viewEpisode);
  const episode = viewed?.data ?? null;
  const rows = useMemo(() => transcriptRows(episode?.events ?? []), [episode]);
  const s = episode?.summary;
  return (
    <Dialog
      open={viewed !== null}
      onClose={close}
      maxWidth="md"
      fullWidth
      scroll="paper"
      aria-labelledby="episode-dialog-title"
    >
      <DialogTitle id="episode-dialog-title" title={viewed?.key}>
        Episode {shortId(viewed?.key ?? '', 12)}
      </DialogTitle>
      <DialogContent dividers>
        {viewed?.loading && (
          <Stack spacing={1} aria-label="Loading the episode">
            {[0, 1, 2].map((i) => (
              <Skeleton key={i} variant="rounded" height={56} />
            ))}
          </Stack>
        )}
        {viewed?.error && (
          <ErrorAlert
            title="Could not load the episode"
            message={viewed.error}
            onRetry={() => void retry(viewed.key)}
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
