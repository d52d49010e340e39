import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Tooltip from '@mui/material/Tooltip';
import { ciParts, num, type Ci } from '../format.ts';
import { CONDITION_LABELS, type ResultRow } from './result-rows.ts';

const HEADERS: [string, string][] = [
  ['Model', ''],
  ['Condition', ''],
  ['User', 'Who answered the model’s questions'],
  [
    'n',
    'Records the row covers; failed ones (in brackets) are left out of the means. When a record was played more than once, the second line gives the episodes (the latest per record counts)',
  ],
  ['PrefAlign (1–5)', 'Mean weighted rubric score'],
  ['PrefAlign (0–100)', '(PrefAlign − 1) / 4 × 100'],
  ['Normalized alignment', '(D − B) / (O − B) × 100 over paired records: 0 = generic baseline, 100 = oracle'],
  ['Worse than generic', 'Share of paired records where discovery scored below the baseline'],
  ['Accuracy', 'Share judged correct'],
  ['Δ accuracy', 'Discovery minus baseline, over paired records'],
  ['Turns', 'Mean questions asked'],
];

/** Model × condition × user type; each metric with its 95% bootstrap interval on a second line. */
export function ResultsTable({ rows }: { rows: ResultRow[] }) {
  return (
    <TableContainer component={Paper} variant="outlined">
      <Table size="small" aria-label="Results by model, condition and user type">
        <TableHead>
          <TableRow>
            {HEADERS.map(([label, help], i) => (
              <TableCell
                key={label}
                scope="col"
                align={i >= 3 ? 'right' : 'left'}
                sx={{ whiteSpace: 'normal', verticalAlign: 'bottom' }}
              >
                {help ? (
                  <Tooltip describeChild title={help}>
                    <span tabIndex={0} style={{ textDecoration: 'underline dotted' }}>
                      {label}
                    </span>
                  </Tooltip>
                ) : (
                  label
                )}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map((r) => {
            const m = r.metrics;
            const p = r.paired;
            return (
              <TableRow key={r.key}>
                <TableCell component="th" scope="row">
                  {r.model}
                </TableCell>
                <TableCell>{CONDITION_LABELS[r.condition]}</TableCell>
                <TableCell>
                  {r.userKind === 'none' ? (
                    '—'
                  ) : (
                    <Chip
                      size="small"
                      color={r.userKind === 'human' ? 'primary' : 'secondary'}
                      variant={r.userKind === 'human' ? 'filled' : 'outlined'}
                      label={r.user}
                    />
                  )}
                </TableCell>
                <CiCell
                  text={`${m.n}${m.failed > 0 ? ` (${m.failed})` : ''}`}
                  note={
                    r.coverage && r.coverage.episodes > r.coverage.records
                      ? `${r.coverage.episodes} episodes`
                      : undefined
                  }
                />
                <CiCell value={m.prefAlign} />
                <CiCell value={m.prefAlign100} digits={1} />
                <CiCell value={p?.normalizedAlignment} digits={1} note={p && p.n > 0 ? `n=${p.n} paired` : undefined} />
                <CiCell value={p?.worseRate} digits={1} scale={100} unit="%" />
                <CiCell value={m.accuracyN > 0 ? m.accuracy : undefined} />
                <CiCell value={p && p.accuracyN > 0 ? p.deltaAccuracy : undefined} />
                <CiCell text={num(m.meanTurns, 1)} />
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

interface CiCellProps {
  value?: Ci | undefined;
  text?: string;
  digits?: number;
  scale?: number;
  unit?: string;
  note?: string | undefined;
}

function CiCell({ value, text, digits = 2, scale = 1, unit = '', note }: CiCellProps) {
  const parts = value ? ciParts(value, digits, scale, unit) : { estimate: text ?? '—', bounds: null };
  return (
    <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap', verticalAlign: 'top' }}>
      {parts.estimate}
      {(parts.bounds || note) && (
        <Box component="span" sx={{ display: 'block', color: 'text.secondary', fontSize: '0.75rem' }}>
          {[parts.bounds, note].filter(Boolean).join(' · ')}
        </Box>
      )}
    </TableCell>
  );
}
