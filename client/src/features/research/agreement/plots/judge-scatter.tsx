import { useTheme } from '@mui/material/styles';
import type { AgreementPlots } from '../../../../../../shared/schemas/agreement.ts';
import { PlotFrame, ticks } from './plot-frame.tsx';

const SCORE_AXIS = { min: 0.5, max: 5.5, ticks: ticks(1, 5, 1) };

/**
 * Judge score against the raters' mean on every (answer, criterion): one bubble per distinct pair, its area the number
 * of units. Points on the diagonal are perfect agreement; a cloud above it is a judge harsher than people.
 */
export function JudgeBubbles({ cells }: { cells: AgreementPlots['judgeVsHuman'] }) {
  const theme = useTheme();
  const most = Math.max(1, ...cells.map((c) => c.n));
  const total = cells.reduce((s, c) => s + c.n, 0);
  return (
    <PlotFrame
      label={`Judge score against the raters' mean score on ${total} answer-criterion pairs; bubble area is the number of pairs`}
      width={360}
      height={320}
      x={{ label: 'Judge score', ...SCORE_AXIS }}
      y={{ label: 'Raters’ mean score', ...SCORE_AXIS }}
    >
      {(x, y) => (
        <>
          <line
            x1={x(0.5)}
            y1={y(0.5)}
            x2={x(5.5)}
            y2={y(5.5)}
            stroke={theme.palette.text.disabled}
            strokeDasharray="4 4"
          />
          {cells.map((c) => (
            <circle
              key={`${c.judge}|${c.human}`}
              cx={x(c.judge)}
              cy={y(c.human)}
              r={3 + 14 * Math.sqrt(c.n / most)}
              fill={theme.palette.primary.main}
              fillOpacity={0.35}
              stroke={theme.palette.primary.main}
            >
              <title>{`judge ${c.judge}, raters ${c.human}: ${c.n} ${c.n === 1 ? 'pair' : 'pairs'}`}</title>
            </circle>
          ))}
        </>
      )}
    </PlotFrame>
  );
}

/** PrefAlign (weighted score) per rated answer: the judge's against the raters' mean. */
export function WeightedScatter({ weighted }: { weighted: AgreementPlots['weighted'] }) {
  const theme = useTheme();
  return (
    <PlotFrame
      label={`PrefAlign of ${weighted.total} rated answers, judge against the raters' mean${weighted.points.length < weighted.total ? `, ${weighted.points.length} shown` : ''}`}
      width={360}
      height={320}
      x={{ label: 'Judge PrefAlign', ...SCORE_AXIS }}
      y={{ label: 'Raters’ PrefAlign (mean)', ...SCORE_AXIS }}
    >
      {(x, y) => (
        <>
          <line
            x1={x(0.5)}
            y1={y(0.5)}
            x2={x(5.5)}
            y2={y(5.5)}
            stroke={theme.palette.text.disabled}
            strokeDasharray="4 4"
          />
          {weighted.points.map((p, i) => (
            <circle
              key={i}
              cx={x(p.judge)}
              cy={y(p.human)}
              r={3.5}
              fill={theme.palette.secondary.main}
              fillOpacity={0.55}
            >
              <title>{`judge ${p.judge}, raters ${p.human}`}</title>
            </circle>
          ))}
        </>
      )}
    </PlotFrame>
  );
}
