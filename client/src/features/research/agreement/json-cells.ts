/**
 * Reads arbitrary report JSON for the interim agreement tables: which values are rows, and how a cell prints.
 * Deliberately generic, so the tables keep working while the report's shape evolves under its own schema.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isRowList(value: unknown): value is JsonObject[] {
  return Array.isArray(value) && value.length > 0 && value.every(isObject);
}

function number(x: number): string {
  return Number.isInteger(x) ? x.toLocaleString('en-US') : x.toFixed(3);
}

/** An estimate `{value, n, ci: {low, high}}` reads "0.512 [0.401, 0.610] n=20"; anything else compactly. */
export function cell(value: Json | undefined): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') return number(value);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.length === 0) return 'none';
  if (Array.isArray(value)) return value.length > 8 ? `${value.slice(0, 8).map(cell).join(', ')} … (${value.length})` : value.map(cell).join(', ');
  if ('value' in value && 'n' in value) {
    const ci = isObject(value.ci) && typeof value.ci.low === 'number' && typeof value.ci.high === 'number' ? ` [${number(value.ci.low)}, ${number(value.ci.high)}]` : '';
    const why = typeof value.reason === 'string' && value.value === null ? ` (${value.reason})` : '';
    return `${cell(value.value)}${ci} n=${cell(value.n)}${why}`;
  }
  return Object.entries(value).map(([k, v]) => `${k}: ${cell(v)}`).join('; ');
}

/** "judgeVsHumans" → "Judge vs humans". */
export function title(key: string): string {
  const words = key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
