import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import FormControlLabel from '@mui/material/FormControlLabel';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import type { StudyResults } from '../../../../../shared/schemas/api-results.ts';
import { RefreshIcon } from '../../../ui/icons.tsx';
import { count } from '../format.ts';
import { LoadState } from '../load-state.tsx';
import { queryState } from '../query-state.ts';
import { TestModelNotice } from '../test-model-notice.tsx';
import { CiChart } from './ci-chart.tsx';
import { coverageText, resultRows, resultTasks } from './result-rows.ts';
import { ResultsTable } from './results-table.tsx';
import { useResults } from './use-results.ts';

/** PrefDisco metrics over the study's completed episodes, batch and live, with bootstrap intervals. */
export function ResultsTab({ studyId }: { studyId: string }) {
  const [sameRecords, setSameRecords] = useState(false);
  const query = useResults(studyId, sameRecords);
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
        <FormControlLabel
          label="Same records only"
          control={<Switch checked={sameRecords} onChange={(e) => setSameRecords(e.target.checked)} />}
        />
        <Button variant="outlined" size="small" startIcon={<RefreshIcon />} onClick={() => void query.refetch()}>
          Recompute
        </Button>
      </Stack>
      <LoadState
        what="the results"
        {...queryState(query)}
        empty={rows.length === 0}
        emptyText={
          sameRecords && results && results.coverage.union > 0
            ? 'No record is covered by every row, so "Same records only" leaves nothing to compute. Turn it off, or run batch conditions on the records people play (Batch runs: only the live study’s selected records).'
            : 'No completed episodes yet. Start a batch run (Batch runs tab) or open the study to live sessions; results appear here as episodes finish.'
        }
        onRetry={() => void query.refetch()}
      >
        <TestModelNotice models={results?.testModels ?? []} />
        {results && <CoverageNotice results={results} />}
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

/** Says when the rows rest on different records, and what the switch does about it. */
function CoverageNotice({ results }: { results: StudyResults }) {
  const text = coverageText(results);
  if (results.coverage.sameRecords)
    return (
      <Alert role="status" severity="info">
        Same records only: every row is computed over the {count(results.coverage.common)} records common to all rows
        {text ? ` (of ${count(results.coverage.union)} covered by any row)` : ''}.
      </Alert>
    );
  if (text === null) return null;
  return (
    <Alert role="status" severity="warning">
      {text} Rows over different records are not directly comparable; switch on “Same records only” to compute every row
      over the common records.
    </Alert>
  );
}

function episodeCounts(results: StudyResults): string {
  const part = (name: string, c: StudyResults['episodes']['batch']) =>
    `${name}: ${count(c.completed)} completed${c.failed ? `, ${count(c.failed)} failed` : ''}${c.running ? `, ${count(c.running)} running` : ''}`;
  const e = results.episodes;
  return `${part('Batch', e.batch)} · ${part('Live', e.live)} · ${part('Twin', e.twin)}. Failed episodes are counted, not averaged.`;
}
