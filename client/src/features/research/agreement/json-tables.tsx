import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { cell, isObject, isRowList, title, type Json, type JsonObject } from './json-cells.ts';

const MAX_ROWS = 50;

/** One report section: lists of objects become tables, nested objects subsections, the rest a key/value table. */
export function JsonSection({ name, value, depth = 0 }: { name: string; value: Json; depth?: number }) {
  // A section's own `rows` list needs no heading of its own: the section's heading already says what it is.
  const heading =
    depth > 0 && name === 'rows' ? null : (
      <Typography variant={depth === 0 ? 'h3' : 'h4'} component={depth === 0 ? 'h2' : 'h3'}>
        {title(name)}
      </Typography>
    );
  if (isRowList(value)) {
    return (
      <Stack spacing={1}>
        {heading}
        <RowTable name={name} rows={value} />
      </Stack>
    );
  }
  if (isObject(value)) {
    const nested = Object.entries(value).filter(([, v]) => isRowList(v) || (isObject(v) && depth < 1 && Object.values(v).some(isRowList)));
    const flat = Object.entries(value).filter(([k]) => !nested.some(([n]) => n === k));
    return (
      <Stack spacing={1.5}>
        {heading}
        {flat.length > 0 && <RowTable name={name} rows={[Object.fromEntries(flat)]} />}
        {nested.map(([k, v]) => (
          <JsonSection key={k} name={k} value={v} depth={depth + 1} />
        ))}
      </Stack>
    );
  }
  return (
    <Typography variant="body2">
      <strong>{title(name)}:</strong> {cell(value)}
    </Typography>
  );
}

function RowTable({ name, rows }: { name: string; rows: JsonObject[] }) {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return (
    <TableContainer component={Paper} variant="outlined" sx={{ maxHeight: 400 }} tabIndex={0} aria-label={`${title(name)}, scrollable`}>
      <Table size="small" stickyHeader aria-label={title(name)}>
        <TableHead>
          <TableRow>
            {columns.map((c) => (
              <TableCell key={c} scope="col">
                {title(c)}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.slice(0, MAX_ROWS).map((row, i) => (
            <TableRow key={i}>
              {columns.map((c) => (
                <TableCell key={c} sx={{ fontVariantNumeric: 'tabular-nums', verticalAlign: 'top', maxWidth: 360, overflowWrap: 'anywhere' }}>
                  {cell(row[c])}
                </TableCell>
              ))}
            </TableRow>
          ))}
          {rows.length > MAX_ROWS && (
            <TableRow>
              <TableCell colSpan={columns.length}>
                … and {rows.length - MAX_ROWS} more rows (download the table for all of them).
              </TableCell>
            </TableRow>
          )}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
