import Grid from '@mui/material/Grid';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useEffect } from 'react';
import type { EpisodeStatus } from '../../../http/research-schemas.ts';
import { useAppStore } from '../../../store/index.ts';
import { dataFor } from '../../../store/loadable.ts';
import { LoadState } from '../load-state.tsx';
import { LiveEpisodeTable } from './live-episode-table.tsx';
import { LiveHealthPanel } from './live-health-panel.tsx';
import { LiveTranscript } from './live-transcript.tsx';

const STATUSES: EpisodeStatus[] = ['running', 'completed', 'failed', 'aborted'];

/** Live sessions of the study, refreshed every few seconds, and any one's transcript as it streams. */
export function LiveTab() {
  const studyId = useAppStore((s) => s.selectedStudyId);
  const loadable = useAppStore((s) => s.liveEpisodes);
  const filter = useAppStore((s) => s.liveStatusFilter);
  const setFilter = useAppStore((s) => s.setLiveStatusFilter);
  const load = useAppStore((s) => s.loadLiveEpisodes);
  const poll = useAppStore((s) => s.pollLiveEpisodes);
  const episodes = dataFor(loadable, studyId);
  const health = dataFor(
    useAppStore((s) => s.liveHealth),
    studyId,
  );

  useEffect(() => {
    if (studyId !== null) void load();
  }, [studyId, load]);
  useEffect(() => poll(), [poll]);

  return (
    <Grid container spacing={2}>
      <Grid size={{ xs: 12, lg: 5 }}>
        <Stack spacing={1.5}>
          <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
            <Typography variant="body2" color="text.secondary" sx={{ flexGrow: 1 }}>
              People playing personas in this study. The list refreshes every few seconds.
            </Typography>
            <TextField
              select
              size="small"
              label="Status"
              value={filter ?? 'all'}
              onChange={(e) => setFilter(e.target.value === 'all' ? null : (e.target.value as EpisodeStatus))}
              sx={{ minWidth: 140 }}
            >
              <MenuItem value="all">All</MenuItem>
              {STATUSES.map((s) => (
                <MenuItem key={s} value={s}>
                  {s}
                </MenuItem>
              ))}
            </TextField>
          </Stack>
          {health && <LiveHealthPanel health={health} />}
          <LoadState
            what="the live episodes"
            loading={loadable.loading}
            error={loadable.error}
            loaded={episodes !== null}
            empty={episodes?.length === 0}
            emptyText={
              filter
                ? `No ${filter} live episodes.`
                : 'No live sessions yet. Open the study and share an actor link (Invites tab).'
            }
            onRetry={() => void load()}
          >
            {episodes && <LiveEpisodeTable episodes={episodes} />}
          </LoadState>
        </Stack>
      </Grid>
      <Grid size={{ xs: 12, lg: 7 }}>
        <LiveTranscript />
      </Grid>
    </Grid>
  );
}
