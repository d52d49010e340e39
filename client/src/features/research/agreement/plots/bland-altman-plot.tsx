import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import { useTheme } from '@mui/material/styles';
import Typography from '@mui/material/Typography';
import type { AgreementPlots, AgreementReport } from '../../../../../../shared/schemas/agreement.ts';
import { PlotFrame, ticks } from './plot-frame.tsx';

type Limits = AgreementReport['outcomes']['blandAltman'];

/**
 * Bland–Altman: for each record × model, the mean of the person's and the simulated twin's PrefAlign against their
 * difference (person − twin), with the bias and the 95% limits of agreement. Points spread wide of zero are outcomes
 * the simulator does not reproduce.
 */
export function BlandAltmanPlot({ points, limits }: { points: AgreementPlots['blandAltman']; limits: Limits }) {
  const theme = useTheme();
  const models = [...new Set(points.map((p) => p.model))].sort();
  const colours = [
    theme.palette.primary.main,
    theme.palette.secondary.main,
    theme.palette.success.main,
    theme.palette.warning.main,
    theme.palette.info.main,
    theme.palette.error.main,
  ];
  const colour = (model: string): string => colours[models.indexOf(model) % colours.length] as string;
  const extent = Math.max(
    1,
    ...points.map((p) => Math.abs(p.difference)),
    Math.abs(limits.lower ?? 0),
    Math.abs(limits.upper ?? 0),
  );
  const span = Math.ceil(extent);
  const lines: [string, number | null, string][] = [
    ['bias', limits.meanDifference, theme.palette.text.primary],
    ['lower limit', limits.lower, theme.palette.text.secondary],
    ['upper limit', limits.upper, theme.palette.text.secondary],
  ];
  return (
    <Stack spacing={1}>
      <PlotFrame
        label={`Bland–Altman plot of ${points.length} record-model pairs: mean PrefAlign of person and simulated twin against their difference`}
        width={440}
        height={300}
        x={{ label: 'Mean PrefAlign (person, twin)', min: 1, max: 5, ticks: ticks(1, 5, 1) }}
        y={{ label: 'Person − twin', min: -span, max: span, ticks: ticks(-span, span, span > 2 ? 1 : 0.5) }}
      >
        {(x, y) => (
          <>
            {lines.map(([name, value, stroke]) =>
              value === null ? null : (
                <g key={name}>
                  <line
                    x1={x(1)}
                    x2={x(5)}
                    y1={y(value)}
                    y2={y(value)}
                    stroke={stroke}
                    strokeDasharray={name === 'bias' ? undefined : '5 4'}
                  />
                  <text
                    x={x(5) - 4}
                    y={y(value) - 4}
                    fontSize={10}
                    textAnchor="end"
                    fill={stroke}
                  >{`${name} ${value.toFixed(2)}`}</text>
                </g>
              ),
            )}
            {points.map((p, i) => (
              <circle
                key={i}
                cx={x(Math.min(5, Math.max(1, p.mean)))}
                cy={y(p.difference)}
                r={4}
                fill={colour(p.model)}
                fillOpacity={0.7}
              >
                <title>{`${p.model}: mean ${p.mean}, difference ${p.difference}`}</title>
              </circle>
            ))}
          </>
        )}
      </PlotFrame>
      {models.length > 0 && (
        <Stack direction="row" spacing={2} useFlexGap sx={{ flexWrap: 'wrap' }} aria-label="Models in the plot">
          {models.map((m) => (
            <Stack key={m} direction="row" spacing={0.75} sx={{ alignItems: 'center' }}>
              <Box sx={{ width: 10, height: 10, borderRadius: '50%', bgcolor: colour(m) }} />
              <Typography variant="body2">{m}</Typography>
            </Stack>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
