import Box from '@mui/material/Box';
import FormControl from '@mui/material/FormControl';
import InputLabel from '@mui/material/InputLabel';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Select from '@mui/material/Select';
import Stack from '@mui/material/Stack';
import { alpha, useTheme } from '@mui/material/styles';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import type { Heatmap } from '../../../../../../shared/schemas/agreement.ts';

/** MAE at which a cell is fully coloured: two scale points apart is as bad as the plot distinguishes. */
const FULL = 2;

/**
 * Judge–rater MAE by criterion (or preference type) × a persona attribute, as a table whose cells are shaded by the
 * value: a heatmap that a screen reader reads as the table it is. The attribute and the rows are chosen above it.
 */
export function HeatmapTable({ heatmaps }: { heatmaps: Heatmap[] }) {
  const theme = useTheme();
  const attributes = [...new Set(heatmaps.map((h) => h.attribute))];
  const [attribute, setAttribute] = useState(attributes[0] ?? '');
  const [rowsBy, setRowsBy] = useState<Heatmap['rowsBy']>('criterion');
  const map =
    heatmaps.find((h) => h.attribute === attribute && h.rowsBy === rowsBy) ??
    heatmaps.find((h) => h.rowsBy === rowsBy) ??
    heatmaps[0];
  if (!map)
    return (
      <Typography variant="body2" color="text.secondary">
        No answer is rated by both the judge and a person yet.
      </Typography>
    );
  const shade = (mae: number | null): string =>
    mae === null ? 'transparent' : alpha(theme.palette.error.main, 0.08 + 0.6 * Math.min(1, mae / FULL));
  return (
    <Stack spacing={1.5}>
      <Stack direction="row" spacing={2} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center' }}>
        <FormControl size="small" sx={{ minWidth: 200 }}>
          <InputLabel id="heatmap-attribute">Persona attribute</InputLabel>
          <Select
            labelId="heatmap-attribute"
            label="Persona attribute"
            value={map.attribute}
            onChange={(e) => setAttribute(e.target.value)}
          >
            {attributes.map((a) => (
              <MenuItem key={a} value={a}>
                {a}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        <ToggleButtonGroup
          size="small"
          exclusive
          value={rowsBy}
          onChange={(_e, v: Heatmap['rowsBy'] | null) => v && setRowsBy(v)}
          aria-label="Rows"
        >
          <ToggleButton value="criterion">By criterion</ToggleButton>
          <ToggleButton value="preference_type">By preference type</ToggleButton>
        </ToggleButtonGroup>
      </Stack>
      <TableContainer
        component={Paper}
        variant="outlined"
        sx={{ maxHeight: 520 }}
        tabIndex={0}
        aria-label="Heatmap, scrollable"
      >
        <Table
          size="small"
          stickyHeader
          aria-label={`Judge–rater mean absolute difference by ${map.rowsBy === 'criterion' ? 'criterion' : 'preference type'} and ${map.attribute}`}
        >
          <TableHead>
            <TableRow>
              <TableCell scope="col">{map.rowsBy === 'criterion' ? 'Criterion' : 'Preference type'}</TableCell>
              {map.columns.map((c) => (
                <TableCell key={c} scope="col" align="center">
                  {c}
                </TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {map.rows.map((r) => (
              <TableRow key={r.label}>
                <TableCell component="th" scope="row" sx={{ maxWidth: 320 }}>
                  {r.label}
                </TableCell>
                {r.cells.map((c, i) => (
                  <TableCell
                    key={map.columns[i]}
                    align="center"
                    sx={{ bgcolor: shade(c.mae), fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}
                  >
                    {c.mae === null ? '—' : c.mae.toFixed(2)}
                    {/* The number's own colour: grey text on the darkest shades falls under 4.5:1. */}
                    <Box component="span" sx={{ fontSize: '0.75rem' }}>
                      {c.n > 0 ? ` (n ${c.n})` : ''}
                    </Box>
                  </TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
      <Typography variant="body2" color="text.secondary">
        Mean |judge − raters’ mean| per cell, 0 (agree) to {FULL}+ (darkest); n answer-criterion pairs.
        {map.omittedRows > 0 ? ` The ${map.omittedRows} least-rated rows are left out.` : ''}
      </Typography>
    </Stack>
  );
}
