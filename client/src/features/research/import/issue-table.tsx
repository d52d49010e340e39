import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import type { ImportIssue } from '../../../../../shared/schemas/api-studies.ts';

/** A file's problems by line, as `prefdisco validate` lists them: where, what kind, and what to fix. */
export function IssueTable({ issues, label }: { issues: readonly ImportIssue[]; label: string }) {
  return (
    <TableContainer component={Paper} variant="outlined" sx={{ maxHeight: 320 }} tabIndex={0} aria-label={label}>
      <Table size="small" stickyHeader aria-label={label}>
        <TableHead>
          <TableRow>
            <TableCell scope="col" align="right">
              Line
            </TableCell>
            <TableCell scope="col">Severity</TableCell>
            <TableCell scope="col">Code</TableCell>
            <TableCell scope="col">Where</TableCell>
            <TableCell scope="col">Problem</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {issues.map((issue, i) => (
            <TableRow key={i}>
              <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums' }}>
                {issue.line === null ? 'file' : `line ${issue.line}`}
              </TableCell>
              <TableCell>
                <Chip size="small" color={issue.severity === 'error' ? 'error' : 'warning'} label={issue.severity} />
              </TableCell>
              <TableCell sx={{ fontFamily: 'monospace', fontSize: '0.8rem' }}>{issue.code}</TableCell>
              <TableCell sx={{ fontFamily: 'monospace', fontSize: '0.8rem', overflowWrap: 'anywhere' }}>
                {issue.path || '—'}
              </TableCell>
              <TableCell>{issue.message}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
