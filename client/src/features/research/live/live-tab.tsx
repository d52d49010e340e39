import Grid from '@mui/material/Grid';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { LIVE_UNITS_PAGE } from '../../../../../shared/schemas/api-live-sessions.ts';
import { LIVE_EPISODES_PAGE } from '../../../../../shared/schemas/api-research.ts';
import { EPISODE_STATUSES, type EpisodeStatus } from '../../../../../shared/schemas/episode.ts';
import { useAppStore } from '../../../store/index.ts';
import { LoadState } from '../load-state.tsx';
import { queryState } from '../query-state.ts';
import { LiveEpisodeTable } from './live-episode-table.tsx';
import { LiveHealthPanel } from './live-health-panel.tsx';
import { LiveTranscript } from './live-transcript.tsx';
import { ListPages, useListPage } from './list-pages.tsx';
import { LiveUnitsTable } from './live-units-table.tsx';
import { useLiveEpisodes, useLiveHealth } from './use-live.ts';
import { useLiveUnits } from './use-live-units.ts';

/** Live sessions of the study, refreshed every few seconds, and any one's transcript as it streams. */
export function LiveTab({ studyId }: { studyId: string }) {
  const filter = useAppStore((s) => s.studyView.liveStatusFilter);
  const setFilter = useAppStore((s) => s.setLiveStatusFilter);
  // All three re-read every few seconds while the tab is open; the two lists a page at a time.
  const episodesPage = useListPage(filter, LIVE_EPISODES_PAGE);
  const query = useLiveEpisodes(studyId, filter, episodesPage.offset);
  episodesPage.keepWithin(query.data?.total);
  const episodes = query.data?.episodes;
  const health = useLiveHealth(studyId).data;
  const unitsPage = useListPage(studyId, LIVE_UNITS_PAGE);
  const units = useLiveUnits(studyId, unitsPage.offset).data;
  unitsPage.keepWithin(units?.total);

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
          {units && units.total > 0 && (
            <>
              <Typography variant="h3" component="h2">
                Units held now ({units.total})
              </Typography>
              <LiveUnitsTable studyId={studyId} units={units.units} />
              <ListPages
                total={units.total}
                offset={unitsPage.offset}
                pageSize={LIVE_UNITS_PAGE}
                onOffset={unitsPage.setOffset}
              />
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
            <ListPages
              total={query.data?.total ?? 0}
              offset={episodesPage.offset}
              pageSize={LIVE_EPISODES_PAGE}
              onOffset={episodesPage.setOffset}
            />
          </LoadState>
        </Stack>
      </Grid>
      <Grid size={{ xs: 12, lg: 5 }}>
        <LiveTranscript />
      </Grid>
    </Grid>
  );
}
