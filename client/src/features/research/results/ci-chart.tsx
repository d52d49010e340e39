import Box from '@mui/material/Box';
import { useTheme } from '@mui/material/styles';
import type { ResultRow } from './result-rows.ts';

const ROW = 22;
const LABEL = 360;
const PLOT = 420;
const PAD = 24;

/**
 * PrefAlign (1–5) of each row with its interval, as a dot and whisker: the table's numbers at a glance. Drawn by hand
 * (no chart library in the app); the table beside it carries the same numbers for screen readers.
 */
export function CiChart({ rows }: { rows: ResultRow[] }) {
  const theme = useTheme();
  const x = (score: number): number => LABEL + ((Math.min(5, Math.max(1, score)) - 1) / 4) * PLOT;
  const height = rows.length * ROW + PAD * 2 + 16;
  const colour = (r: ResultRow): string =>
    r.userKind === 'human'
      ? theme.palette.primary.main
      : r.userKind === 'simulated'
        ? theme.palette.secondary.main
        : theme.palette.grey[600];

  return (
    <Box sx={{ overflowX: 'auto' }}>
      <svg
        width={LABEL + PLOT + 40}
        height={height}
        role="img"
        aria-label="PrefAlign by model, condition and user, with 95% intervals (the table lists the same numbers)"
      >
        {[1, 2, 3, 4, 5].map((tick) => (
          <g key={tick}>
            <line x1={x(tick)} x2={x(tick)} y1={PAD - 6} y2={height - PAD - 12} stroke={theme.palette.divider} />
            <text x={x(tick)} y={height - 22} fontSize={11} textAnchor="middle" fill={theme.palette.text.secondary}>
              {tick}
            </text>
          </g>
        ))}
        <text x={LABEL + PLOT / 2} y={height - 4} fontSize={11} textAnchor="middle" fill={theme.palette.text.secondary}>
          PrefAlign (1 = worst fit, 5 = best)
        </text>
        {rows.map((r, i) => {
          const y = PAD + i * ROW + ROW / 2;
          const { estimate, low, high } = r.metrics.prefAlign;
          return (
            <g key={r.key}>
              <text x={LABEL - 8} y={y + 4} fontSize={11} textAnchor="end" fill={theme.palette.text.primary}>
                {`${r.model} · ${r.condition}${r.userKind === 'none' ? '' : ` · ${r.user}`}`}
              </text>
              {low !== null && high !== null && (
                <line x1={x(low)} x2={x(high)} y1={y} y2={y} stroke={colour(r)} strokeWidth={2} />
              )}
              {estimate !== null &&
                (r.userKind === 'simulated' ? (
                  <rect x={x(estimate) - 4} y={y - 4} width={8} height={8} fill={colour(r)} />
                ) : (
                  <circle cx={x(estimate)} cy={y} r={4.5} fill={colour(r)} />
                ))}
            </g>
          );
        })}
      </svg>
    </Box>
  );
}
