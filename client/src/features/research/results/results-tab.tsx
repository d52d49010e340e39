import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import type { StudyResults } from '../../../../../shared/schemas/api-results.ts';
import { RefreshIcon } from '../../../ui/icons.tsx';
import { count } from '../format.ts';
import { LoadState } from '../load-state.tsx';
import { queryState } from '../query-state.ts';
import { CiChart } from './ci-chart.tsx';
import { resultRows, resultTasks } from './result-rows.ts';
import { ResultsTable } from './results-table.tsx';
import { useResults } from './use-results.ts';

/** PrefDisco metrics over the study's completed episodes, batch and live, with bootstrap intervals. */
export function ResultsTab({ studyId }: { studyId: string }) {
  const query = useResults(studyId);
  const results = query.data ?? null;
  const [task, setTask] = useState('*');

  const tasks = results ? resultTasks(results) : ['*'];
  const scope = tasks.includes(task) ? task : '*';
  const rows = results ? resultRows(results, scope) : [];
  return (
    <Stack spacing={2}>
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', flexWrap: 'wrap' }} useFlexGap>
        <Typography variant="body2" color="text.secondary" sx={{ flexGrow: 1 }}>
          {results ? episodeCounts(results) : 'Completed episodes of batch runs and live sessions.'}
        </Typography>
        <TextField
          select
          size="small"
          label="Tasks"
          value={scope}
          onChange={(e) => setTask(e.target.value)}
          sx={{ minWidth: 200 }}
        >
          {tasks.map((t) => (
            <MenuItem key={t} value={t}>
              {t === '*' ? 'All tasks, pooled' : t}
            </MenuItem>
          ))}
        </TextField>
        <Button variant="outlined" size="small" startIcon={<RefreshIcon />} onClick={() => void query.refetch()}>
          Recompute
        </Button>
      </Stack>
      <LoadState
        what="the results"
        {...queryState(query)}
        empty={rows.length === 0}
        emptyText="No completed episodes yet. Start a batch run (Batch runs tab) or open the study to live sessions; results appear here as episodes finish."
        onRetry={() => void query.refetch()}
      >
        <ResultsTable rows={rows} />
        <Typography variant="h3" component="h2" sx={{ pt: 1 }}>
          PrefAlign with 95% intervals
        </Typography>
        <CiChart rows={rows} />
        <Typography variant="caption" color="text.secondary">
          Brackets: 95% percentile bootstrap intervals ({results?.metrics.resamples ?? 1000} resamples of records, seed{' '}
          {results?.metrics.seed ?? 42}). Human = persona actors in live sessions; live twin = the simulator answering
          the same questions; other simulated rows are batch-run user types. Circles are people or no user, squares
          simulated users. Definitions: docs/metrics.md.
        </Typography>
      </LoadState>
    </Stack>
  );
}

function episodeCounts(results: StudyResults): string {
  const part = (name: string, c: StudyResults['episodes']['batch']) =>
    `${name}: ${count(c.completed)} completed${c.failed ? `, ${count(c.failed)} failed` : ''}${c.running ? `, ${count(c.running)} running` : ''}`;
  const e = results.episodes;
  return `${part('Batch', e.batch)} · ${part('Live', e.live)} · ${part('Twin', e.twin)}. Failed episodes are counted, not averaged.`;
}
