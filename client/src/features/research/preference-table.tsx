import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useMemo } from 'react';
import type { BenchmarkRecord } from '../../../../shared/schemas/benchmark.ts';
import { PreferenceTableRow } from './preference-table-row.tsx';
import { preferenceRows } from './preference-rows.ts';
import { visuallyHidden } from '../../ui/visually-hidden.ts';

/** The hidden ground truth of a record: each preference next to the rubric criterion that scores it. */
export function PreferenceTable({ record }: { record: BenchmarkRecord }) {
  const rows = useMemo(() => preferenceRows(record), [record]);
  const expertise = rows.filter((r) => r.preference?.type === 'expertise').length;

  return (
    <Stack spacing={1} component="section" aria-labelledby="preferences-heading">
      <Stack direction="row" spacing={1} sx={{ alignItems: 'baseline', flexWrap: 'wrap' }}>
        <Typography id="preferences-heading" variant="h3" component="h3">
          Hidden preferences
        </Typography>
        <Typography variant="body2" color="text.secondary">
          {rows.length} dimensions · {expertise} expertise · {rows.length - expertise} personal/other
        </Typography>
      </Stack>
      <TableContainer component={Paper} variant="outlined">
        <Table size="small" aria-labelledby="preferences-heading">
          <TableHead>
            <TableRow>
              <TableCell scope="col" padding="checkbox">
                <span style={visuallyHidden}>Details</span>
              </TableCell>
              <TableCell scope="col">Preference</TableCell>
              <TableCell scope="col">Type</TableCell>
              <TableCell scope="col">Value</TableCell>
              <TableCell scope="col" align="right">
                Importance
              </TableCell>
              <TableCell scope="col" align="right">
                Weight
              </TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map((row) => (
              <PreferenceTableRow key={row.key} row={row} />
            ))}
          </TableBody>
        </Table>
      </TableContainer>
    </Stack>
  );
}
