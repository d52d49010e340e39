import { useTheme } from '@mui/material/styles';
import type { ReactNode } from 'react';

export interface Scale {
  (value: number): number;
}

export interface Axis {
  label: string;
  min: number;
  max: number;
  ticks: number[];
}

interface PlotFrameProps {
  /** What the plot shows, for screen readers; the tables beside each plot carry its numbers. */
  label: string;
  width: number;
  height: number;
  x: Axis;
  y: Axis;
  children: (x: Scale, y: Scale) => ReactNode;
}

const LEFT = 48;
const BOTTOM = 40;
const TOP = 10;
const RIGHT = 12;

/**
 * Axes, grid and labels for a hand-drawn SVG plot (the app carries no chart library: three small plots do not pay for
 * one). `children` draws the marks with the two scales.
 */
export function PlotFrame({ label, width, height, x, y, children }: PlotFrameProps) {
  const theme = useTheme();
  const sx: Scale = (v) => LEFT + ((v - x.min) / (x.max - x.min)) * (width - LEFT - RIGHT);
  const sy: Scale = (v) => height - BOTTOM - ((v - y.min) / (y.max - y.min)) * (height - BOTTOM - TOP);
  const muted = theme.palette.text.secondary;
  return (
    <svg
      width={width}
      height={height}
      role="img"
      aria-label={label}
      style={{ maxWidth: '100%', height: 'auto' }}
      viewBox={`0 0 ${width} ${height}`}
    >
      {x.ticks.map((t) => (
        <g key={`x${t}`}>
          <line x1={sx(t)} x2={sx(t)} y1={TOP} y2={height - BOTTOM} stroke={theme.palette.divider} />
          <text x={sx(t)} y={height - BOTTOM + 14} fontSize={11} textAnchor="middle" fill={muted}>
            {t}
          </text>
        </g>
      ))}
      {y.ticks.map((t) => (
        <g key={`y${t}`}>
          <line x1={LEFT} x2={width - RIGHT} y1={sy(t)} y2={sy(t)} stroke={theme.palette.divider} />
          <text x={LEFT - 6} y={sy(t) + 4} fontSize={11} textAnchor="end" fill={muted}>
            {t}
          </text>
        </g>
      ))}
      <text x={(LEFT + width - RIGHT) / 2} y={height - 6} fontSize={12} textAnchor="middle" fill={muted}>
        {x.label}
      </text>
      <text
        x={12}
        y={(TOP + height - BOTTOM) / 2}
        fontSize={12}
        textAnchor="middle"
        fill={muted}
        transform={`rotate(-90 12 ${(TOP + height - BOTTOM) / 2})`}
      >
        {y.label}
      </text>
      {children(sx, sy)}
    </svg>
  );
}

/** Evenly spaced ticks from min to max. */
export function ticks(min: number, max: number, step: number): number[] {
  const out: number[] = [];
  for (let v = min; v <= max + 1e-9; v += step) out.push(Math.round(v * 100) / 100);
  return out;
}
