/**
 * What every agreement statistic returns: a value with the number of units behind it, or no value and the reason
 * (one coder, one category, nothing pairable, no variance …). Never a silent NaN.
 */
export type StatResult = { value: number; n: number; reason?: undefined } | { value: null; n: number; reason: string };

export function statValue(value: number, n: number): StatResult {
  return Number.isFinite(value) ? { value, n } : { value: null, n, reason: `not a finite number (${value})` };
}

export function noValue(n: number, reason: string): StatResult {
  return { value: null, n, reason };
}
