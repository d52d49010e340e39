/** Lenient readers for the loosely typed hints the scripted generation roles receive, and small text helpers. */

export type Loose = Record<string, unknown>;

export function str(value: unknown, fallback = ''): string {
  return typeof value === 'string' && value !== '' ? value : fallback;
}

export function list(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function field(source: unknown, key: string): unknown {
  return typeof source === 'object' && source !== null ? (source as Loose)[key] : undefined;
}

export function pick<T>(items: readonly T[], n: number): T {
  return items[n % items.length] as T;
}

export function title(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
