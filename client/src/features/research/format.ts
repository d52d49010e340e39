/** How numbers, intervals, times and ids read on the research screens. */

export interface Ci {
  estimate: number | null;
  low: number | null;
  high: number | null;
}

const DASH = '—';

export function num(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined || Number.isNaN(value) ? DASH : value.toFixed(digits);
}

export function count(value: number): string {
  return value.toLocaleString('en-US');
}

/** A share 0–1 as a percentage. */
export function pct(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined ? DASH : `${(value * 100).toFixed(digits)}%`;
}

/** An estimate and its interval as text: "3.42" and "[3.10, 3.75]"; `scale` and `unit` make shares read "12.5%". */
export function ciParts(value: Ci, digits = 2, scale = 1, unit = ''): { estimate: string; bounds: string | null } {
  if (value.estimate === null) return { estimate: DASH, bounds: null };
  const f = (x: number): string => `${(x * scale).toFixed(digits)}${unit}`;
  // No bracket when no resample defined the bounds.
  return {
    estimate: f(value.estimate),
    bounds: value.low !== null && value.high !== null ? `[${f(value.low)}, ${f(value.high)}]` : null,
  };
}

/** "3.42 [3.10, 3.75]". */
export function ci(value: Ci, digits = 2, scale = 1, unit = ''): string {
  const { estimate, bounds } = ciParts(value, digits, scale, unit);
  return bounds ? `${estimate} ${bounds}` : estimate;
}

export function dateTime(iso: string | null): string {
  return iso === null ? DASH : localTime(iso, (d) => d.toLocaleString());
}

/** A stored time written by `write` in the browser's locale; a value that is not a time is shown as it came. */
export function localTime(iso: string, write: (d: Date) => string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : write(d);
}

/** "1 h 04 min", "3 min 12 s", "8 s". */
export function duration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return DASH;
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** Ids are long and random; the first characters tell them apart on screen (the full id is in the title). */
export function shortId(id: string, length = 8): string {
  return id.length <= length ? id : `${id.slice(0, length)}…`;
}

export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${count(n)} ${n === 1 ? noun : nouns}`;
}
