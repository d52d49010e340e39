import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import type { RunInfo } from '../../../../../shared/schemas/research.ts';
import { runResultsUrl } from '../../../http/download-urls.ts';
import { useAppStore } from '../../../store/index.ts';
import { count, dateTime, shortId } from '../format.ts';
import { visuallyHidden } from '../../../ui/visually-hidden.ts';
import { MODE_LABELS } from './run-form-model.ts';
import { runNumbers, STATUS_COLORS } from './run-math.ts';

/** Every run of the study, newest first; "Show" puts one in the progress panel above. */
export function RunList({ runs, focusedId }: { runs: RunInfo[]; focusedId: string | null }) {
  const focusRun = useAppStore((s) => s.focusRun);
  return (
    <TableContainer component={Paper} variant="outlined">
      <Table size="small" aria-label="Batch runs">
        <TableHead>
          <TableRow>
            <TableCell scope="col">Started</TableCell>
            <TableCell scope="col">Run</TableCell>
            <TableCell scope="col">Model</TableCell>
            <TableCell scope="col">Judge / simulator</TableCell>
            <TableCell scope="col">Conditions</TableCell>
            <TableCell scope="col">Status</TableCell>
            <TableCell scope="col" align="right">
              Episodes
            </TableCell>
            <TableCell scope="col">
              <span style={visuallyHidden}>Actions</span>
            </TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {runs.map((run) => {
            const n = runNumbers(run);
            const o = run.options;
            return (
              <TableRow key={run.id} selected={run.id === focusedId}>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>{dateTime(run.createdAt)}</TableCell>
                <TableCell sx={{ fontFamily: 'monospace' }} title={run.id}>
                  {shortId(run.id)}
                </TableCell>
                <TableCell>{o.model}</TableCell>
                <TableCell>
                  {o.judge} / {o.simulator}
                </TableCell>
                <TableCell>
                  {o.modes.map((m) => MODE_LABELS[m]).join(', ')}
                  {o.modes.includes('infer_persona') && ` (${o.userTypes.join(', ')})`}
                  {o.maxProblems !== null && ` · first ${o.maxProblems}`}
                  {o.records === 'study-selection' &&
                    ` · live study’s selection${o.selection ? ` (${count(o.selection.records)} records)` : ''}`}
                </TableCell>
                <TableCell>
                  <Chip size="small" color={STATUS_COLORS[run.status]} label={run.status} />
                </TableCell>
                <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
                  {count(n.finished)} / {count(n.total)}
                  {run.progress && run.progress.failed > 0 && ` (${count(run.progress.failed)} failed)`}
                </TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>
                  <Button
                    size="small"
                    onClick={() => focusRun(run.id)}
                    aria-label={`Show run ${run.id}`}
                    disabled={run.id === focusedId}
                  >
                    Show
                  </Button>
                  <Button
                    size="small"
                    href={runResultsUrl(run.id)}
                    download
                    aria-label={`Download results of run ${run.id}`}
                  >
                    results.jsonl
                  </Button>
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
