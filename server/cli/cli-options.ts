import { InvalidArgumentError, Option } from 'commander';
import type { z } from 'zod';

/**
 * Typed option values for every command. Each parser turns the text into its value or throws commander's
 * InvalidArgumentError; the message (always ending in what was given) becomes `--flag: message` on the usage line.
 */

export function integerAtLeast(min: number): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value) || Number(value) < min)
      throw new InvalidArgumentError(`expected an integer ≥ ${min}; got "${value}"`);
    return Number(value);
  };
}

export function anyInteger(value: string): number {
  if (!/^[+-]?\d+$/.test(value)) throw new InvalidArgumentError(`expected an integer; got "${value}"`);
  return Number(value);
}

export function oneOf<T extends string>(allowed: readonly T[]): (value: string) => T {
  return (value) => {
    const found = allowed.find((a) => a === value);
    if (found === undefined) throw new InvalidArgumentError(`expected one of ${allowed.join(', ')}; got "${value}"`);
    return found;
  };
}

/** "a,b" → ["a", "b"], each one of `allowed`. */
export function listOf<T extends string>(allowed: readonly T[]): (value: string) => T[] {
  return (value) => {
    const items = value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (items.length === 0 || items.some((i) => !allowed.includes(i as T)))
      throw new InvalidArgumentError(`expected one or more of ${allowed.join(', ')}; got "${value}"`);
    return items as T[];
  };
}

/** A value checked by a zod schema (settings shared with the HTTP API are validated by the same schema). */
export function bySchema<T>(schema: z.ZodType<T>): (value: string) => T {
  return (value) => {
    const parsed = schema.safeParse(value);
    if (!parsed.success)
      throw new InvalidArgumentError(`${parsed.error.issues[0]?.message ?? 'invalid value'}; got "${value}"`);
    return parsed.data;
  };
}

/** An option whose value must be one of `allowed`: the help lists the choices, the parser says what was wrong. */
export function choiceOption<T extends string>(flags: string, description: string, allowed: readonly T[]): Option {
  return new Option(flags, description).choices(allowed).argParser(oneOf(allowed));
}

/** `--db PATH` and `--no-db` share one value: a path, false for no database, undefined for the configured one. */
export function databaseOptions(withNoDb: boolean): Option[] {
  const db = new Option(
    '--db <PATH>',
    'SQLite database file (default: the configured database: PREFDISCO_DATABASE_URL, else PREFDISCO_DB, else ' +
      'data/prefdisco.sqlite)',
  );
  return withNoDb ? [db, new Option('--no-db', 'record nothing in a database (only the results files)')] : [db];
}
