import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { RunInfo } from '../../../../../shared/schemas/research.ts';
import { runResultsUrl } from '../../../http/download-urls.ts';
import { errorMessage } from '../../../http/request.ts';
import { count, duration, shortId } from '../format.ts';
import { runNumbers, STATUS_COLORS, usd } from './run-math.ts';
import { RunEpisodes } from './run-episodes.tsx';
import { SendToRaters } from './send-to-raters.tsx';
import { useCancelRun } from './use-runs.ts';

/** The focused run as it goes: the bar, the counters the CLI prints, time left, tokens and cost; cancel and download. */
export function RunProgress({ studyId, run }: { studyId: string; run: RunInfo }) {
  const cancel = useCancelRun(studyId);
  const cancelling = cancel.isPending && cancel.variables === run.id;
  const cancelError = cancel.error ? errorMessage(cancel.error) : null;
  const p = run.progress;
  const n = runNumbers(run);
  const o = run.options;

  const facts: [string, string][] = [
    ['Done', p ? count(p.done) : '—'],
    ['Failed', p ? count(p.failed) : '—'],
    ['Skipped (resumed)', p ? count(p.skipped) : '—'],
    ['Running now', p ? count(p.running) : '—'],
    ['Elapsed', p ? duration(p.elapsedMs) : '—'],
    ['Time left', run.status === 'running' ? (n.etaMs === null ? 'estimating…' : duration(n.etaMs)) : '—'],
    ['Model calls', p ? count(p.calls) : '—'],
    ['Tokens in / out', p ? `${count(p.inputTokens)} / ${count(p.outputTokens)}` : '—'],
    ['Cost', p ? usd(p.costUsd) : '—'],
  ];

  return (
    <Paper variant="outlined" component="section" aria-label={`Run ${run.id}`} sx={{ p: 2 }}>
      <Stack spacing={1.5}>
        <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center', flexWrap: 'wrap' }} useFlexGap>
          <Typography variant="h3" component="h2" title={run.id}>
            Run {shortId(run.id)}
          </Typography>
          <Chip size="small" color={STATUS_COLORS[run.status]} label={run.status} />
          <Typography variant="body2" color="text.secondary" sx={{ flexGrow: 1 }}>
            {o.model} · judge {o.judge} · simulator {o.simulator}
            {o.resumedFrom ? ` · resumed from ${shortId(o.resumedFrom)}` : ''}
          </Typography>
          {run.status === 'running' && (
            <Button
              variant="outlined"
              color="warning"
              size="small"
              loading={cancelling}
              onClick={() => {
                if (!cancel.isPending) cancel.mutate(run.id);
              }}
            >
              Cancel run
            </Button>
          )}
          <Button size="small" variant="outlined" href={runResultsUrl(run.id)} download>
            Download results.jsonl
          </Button>
        </Stack>
        <Box>
          <LinearProgress
            variant="determinate"
            value={n.percent}
            color={run.status === 'failed' ? 'error' : run.status === 'completed' ? 'success' : 'primary'}
            aria-label="Run progress"
            aria-valuetext={`${n.finished} of ${n.total} episodes`}
            sx={{ height: 10, borderRadius: 5 }}
          />
          <Typography variant="body2" sx={{ mt: 0.5 }} aria-live="polite">
            {count(n.finished)} of {count(n.total)} episodes ({n.percent.toFixed(0)}%)
          </Typography>
        </Box>
        <Box
          component="dl"
          sx={{ m: 0, display: 'grid', gridTemplateColumns: { xs: 'repeat(2, 1fr)', md: 'repeat(5, 1fr)' }, gap: 1.5 }}
        >
          {facts.map(([label, value]) => (
            <Box key={label}>
              <Typography component="dt" variant="caption" color="text.secondary">
                {label}
              </Typography>
              <Typography component="dd" sx={{ m: 0, fontVariantNumeric: 'tabular-nums' }}>
                {value}
              </Typography>
            </Box>
          ))}
        </Box>
        {p?.error && <Alert severity="error">The run failed: {p.error.message}</Alert>}
        {run.status === 'interrupted' && (
          <Alert role="note" severity="info">
            Interrupted. Start a run with the same options to resume where it stopped.
          </Alert>
        )}
        {cancelError && <Alert severity="error">{cancelError}</Alert>}
        {run.status !== 'running' && (p?.done ?? 0) > 0 && <SendToRaters studyId={studyId} run={run} />}
        <RunEpisodes key={run.id} studyId={studyId} run={run} />
      </Stack>
    </Paper>
  );
}
