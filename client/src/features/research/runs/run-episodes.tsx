import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import TablePagination from '@mui/material/TablePagination';
import Typography from '@mui/material/Typography';
import { useEffect } from 'react';
import type { RunInfo } from '../../../../../shared/schemas/research.ts';
import type { EpisodeSummary } from '../../../http/research-schemas.ts';
import { RUN_EPISODES_PAGE } from '../../../store/episode-viewer-slice.ts';
import { useAppStore } from '../../../store/index.ts';
import { ErrorAlert } from '../../../ui/error-alert.tsx';
import { ProgressTable, type Column } from '../progress-table.tsx';
import { num } from '../format.ts';
import { MODE_LABELS } from './run-form-model.ts';

function columns(view: (id: string) => void): Column<EpisodeSummary>[] {
  return [
    {
      label: 'Record',
      cell: (e) => <span style={{ fontFamily: 'monospace', fontSize: '0.8rem' }}>{e.problemId}</span>,
    },
    {
      label: 'Condition',
      cell: (e) => `${MODE_LABELS[e.mode]}${e.userSeat === 'simulated' ? ` · ${e.userType}` : ''}`,
    },
    { label: 'Status', cell: (e) => (e.failure ? `${e.status}: ${e.failure.reason}` : e.status) },
    { label: 'PrefAlign', align: 'right', cell: (e) => num(e.weightedScore) },
    { label: 'Correct', align: 'right', cell: (e) => (e.correct === null ? '—' : e.correct === 1 ? 'yes' : 'no') },
    {
      label: 'Transcript',
      cell: (e) => (
        <Button size="small" onClick={() => view(e.id)} aria-label={`View episode ${e.id}`}>
          View
        </Button>
      ),
    },
  ];
}

/** The run's episodes a page at a time, each opening its transcript: what the model asked and what the judge gave. */
export function RunEpisodes({ run }: { run: RunInfo }) {
  const page = useAppStore((s) => s.runEpisodes);
  const load = useAppStore((s) => s.loadRunEpisodes);
  const view = useAppStore((s) => s.viewEpisode);
  const done = run.progress?.done ?? 0;
  const offset = page?.key.startsWith(`${run.id}@`) ? (page.data?.offset ?? 0) : 0;

  // Re-read as episodes finish (the list grows while the run goes), and when another run is focused.
  useEffect(() => {
    void load(run.id, offset);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the page offset changes through the pager below
  }, [run.id, done, load]);

  const data = page?.key.startsWith(`${run.id}@`) ? page.data : null;
  return (
    <Stack spacing={1} component="section" aria-label="Episodes of the run">
      <Typography variant="h4" component="h3">
        Episodes{data ? ` (${data.total})` : ''}
      </Typography>
      {page?.error && (
        <ErrorAlert
          title="Could not load the episodes"
          message={page.error}
          onRetry={() => void load(run.id, offset)}
        />
      )}
      <ProgressTable
        label="Episodes of the run"
        rows={data?.episodes ?? []}
        rowKey={(e) => e.id}
        columns={columns((id) => void view(id))}
        empty={page?.loading ? 'Loading…' : 'No episode stored yet.'}
      />
      {data && data.total > RUN_EPISODES_PAGE && (
        <TablePagination
          component="div"
          count={data.total}
          page={Math.floor(data.offset / RUN_EPISODES_PAGE)}
          rowsPerPage={RUN_EPISODES_PAGE}
          rowsPerPageOptions={[RUN_EPISODES_PAGE]}
          onPageChange={(_e, p) => void load(run.id, p * RUN_EPISODES_PAGE)}
        />
      )}
    </Stack>
  );
}
