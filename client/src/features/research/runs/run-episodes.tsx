import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import TablePagination from '@mui/material/TablePagination';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import type { RunInfo } from '../../../../../shared/schemas/research.ts';
import { errorMessage } from '../../../http/request.ts';
import type { EpisodeSummary } from '../../../../../shared/schemas/episode.ts';
import { useAppStore } from '../../../store/index.ts';
import { ErrorAlert } from '../../../ui/error-alert.tsx';
import { ProgressTable, type Column } from '../progress-table.tsx';
import { num } from '../format.ts';
import { MODE_LABELS } from './run-form-model.ts';
import { RUN_EPISODES_PAGE, useRunEpisodes } from './use-runs.ts';

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
export function RunEpisodes({ studyId, run }: { studyId: string; run: RunInfo }) {
  const view = useAppStore((s) => s.viewEpisode);
  // Keyed by run (in RunProgress): another run starts on its first page.
  const [offset, setOffset] = useState(0);
  // Re-read as episodes finish: the list grows while the run goes.
  const query = useRunEpisodes(studyId, run, offset);
  const data = query.data;
  return (
    <Stack spacing={1} component="section" aria-label="Episodes of the run">
      <Typography variant="h4" component="h3">
        Episodes{data ? ` (${data.total})` : ''}
      </Typography>
      {query.error && (
        <ErrorAlert
          title="Could not load the episodes"
          message={errorMessage(query.error)}
          onRetry={() => void query.refetch()}
        />
      )}
      <ProgressTable
        label="Episodes of the run"
        rows={data?.episodes ?? []}
        rowKey={(e) => e.id}
        columns={columns(view)}
        empty={query.isFetching ? 'Loading…' : 'No episode stored yet.'}
      />
      {data && data.total > RUN_EPISODES_PAGE && (
        <TablePagination
          component="div"
          count={data.total}
          page={Math.floor(offset / RUN_EPISODES_PAGE)}
          rowsPerPage={RUN_EPISODES_PAGE}
          rowsPerPageOptions={[RUN_EPISODES_PAGE]}
          onPageChange={(_e, p) => setOffset(p * RUN_EPISODES_PAGE)}
        />
      )}
    </Stack>
  );
}
