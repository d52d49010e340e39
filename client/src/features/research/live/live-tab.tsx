import Grid from '@mui/material/Grid';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TablePagination from '@mui/material/TablePagination';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { LIVE_EPISODES_PAGE } from '../../../../../shared/schemas/api-research.ts';
import { EPISODE_STATUSES, type EpisodeStatus } from '../../../../../shared/schemas/episode.ts';
import { useAppStore } from '../../../store/index.ts';
import { LoadState } from '../load-state.tsx';
import { queryState } from '../query-state.ts';
import { LiveEpisodeTable } from './live-episode-table.tsx';
import { LiveHealthPanel } from './live-health-panel.tsx';
import { LiveTranscript } from './live-transcript.tsx';
import { LiveUnitsTable } from './live-units-table.tsx';
import { useLiveEpisodes, useLiveHealth } from './use-live.ts';
import { useLiveUnits } from './use-live-units.ts';

/** Live sessions of the study, refreshed every few seconds, and any one's transcript as it streams. */
export function LiveTab({ studyId }: { studyId: string }) {
  const filter = useAppStore((s) => s.studyView.liveStatusFilter);
  const setFilter = useAppStore((s) => s.setLiveStatusFilter);
  // The page shown belongs to a filter: another filter starts on its first page.
  const [page, setPage] = useState<{ filter: EpisodeStatus | null; offset: number }>({ filter, offset: 0 });
  const offset = page.filter === filter ? page.offset : 0;
  // All three re-read every few seconds while the tab is open.
  const query = useLiveEpisodes(studyId, filter, offset);
  const episodes = query.data?.episodes;
  const total = query.data?.total ?? 0;
  // Episodes left the filter (a running one ended) and this page is now past the end: show the last page.
  if (query.data && offset > 0 && offset >= total)
    setPage({ filter, offset: Math.max(0, Math.ceil(total / LIVE_EPISODES_PAGE) - 1) * LIVE_EPISODES_PAGE });
  const health = useLiveHealth(studyId).data;
  const units = useLiveUnits(studyId).data;

  return (
    <Grid container spacing={2}>
      <Grid size={{ xs: 12, lg: 7 }}>
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
              {EPISODE_STATUSES.map((s) => (
                <MenuItem key={s} value={s}>
                  {s}
                </MenuItem>
              ))}
            </TextField>
          </Stack>
          {health && <LiveHealthPanel health={health} />}
          {units && units.length > 0 && (
            <>
              <Typography variant="h3" component="h2">
                Units held now
              </Typography>
              <LiveUnitsTable studyId={studyId} units={units} />
            </>
          )}
          <LoadState
            what="the live episodes"
            {...queryState(query, true)}
            empty={episodes?.length === 0}
            emptyText={
              filter
                ? `No ${filter} live episodes.`
                : 'No live sessions yet. Open the study and share an actor link (Invites tab).'
            }
            onRetry={() => void query.refetch()}
          >
            {episodes && <LiveEpisodeTable episodes={episodes} />}
            {total > LIVE_EPISODES_PAGE && (
              <TablePagination
                component="div"
                count={total}
                page={Math.floor(offset / LIVE_EPISODES_PAGE)}
                rowsPerPage={LIVE_EPISODES_PAGE}
                rowsPerPageOptions={[LIVE_EPISODES_PAGE]}
                onPageChange={(_e, p) => setPage({ filter, offset: p * LIVE_EPISODES_PAGE })}
              />
            )}
          </LoadState>
        </Stack>
      </Grid>
      <Grid size={{ xs: 12, lg: 5 }}>
        <LiveTranscript />
      </Grid>
    </Grid>
  );
}
