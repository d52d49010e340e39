import Box from '@mui/material/Box';
import type { Estimate } from '../../../../../shared/schemas/agreement.ts';

/**
 * A statistic as the tables show it: the value, then its bootstrap interval in smaller type; when there is no value,
 * the report's reason ("needs at least 3 complete pairs") instead of a bare dash.
 */
export function EstimateText({ e, digits = 2, percent = false }: { e: Estimate; digits?: number; percent?: boolean }) {
  const f = (x: number): string => (percent ? `${(x * 100).toFixed(digits - 1)}%` : x.toFixed(digits));
  if (e.value === null) {
    return (
      <Box component="span" sx={{ color: 'text.secondary', fontSize: '0.8rem' }} title={e.reason}>
        — {e.reason ? `(${e.reason})` : ''}
      </Box>
    );
  }
  const bounds = e.ci && e.ci.low !== null && e.ci.high !== null ? ` [${f(e.ci.low)}, ${f(e.ci.high)}]` : '';
  return (
    <Box
      component="span"
      sx={{ whiteSpace: 'nowrap' }}
      title={`n = ${e.n}${e.ci ? `, ${Math.round(e.ci.level * 100)}% interval over ${e.ci.clusters} ${e.ci.unit === 'persona' ? 'personas' : 'items'}` : ''}`}
    >
      {f(e.value)}
      <Box component="span" sx={{ color: 'text.secondary', fontSize: '0.8rem' }}>
        {bounds}
      </Box>
    </Box>
  );
}
