import { createRng, randomInt, type Rng } from '../../../shared/stats/random.ts';

/**
 * Seeded case generation for the fuzz harness (tests/integration/fuzz-*.test.ts and bench/fuzz.bench.ts). Every case
 * draws from its own generator seeded by (run seed, case index), so one failing case is reproduced from those two
 * numbers alone, without replaying the cases before it.
 */
export class Fuzz {
  private readonly rng: Rng;

  constructor(
    readonly seed: number,
    readonly index: number,
  ) {
    // Mix the case index into the seed (a multiplicative hash), so neighbouring cases get unrelated streams.
    this.rng = createRng((Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0);
  }

  float(): number {
    return this.rng();
  }

  /** An integer in [0, n); 0 when n is 0 (an empty line or list has one place: the start). */
  int(n: number): number {
    return n < 1 ? 0 : randomInt(this.rng, n);
  }

  chance(p: number): boolean {
    return this.rng() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[this.int(items.length)] as T;
  }

  /** A weighted choice: `[[weight, value], …]`. */
  weighted<T>(options: readonly (readonly [number, T])[]): T {
    const total = options.reduce((s, [w]) => s + w, 0);
    let x = this.rng() * total;
    for (const [w, value] of options) {
      if ((x -= w) < 0) return value;
    }
    return (options[options.length - 1] as readonly [number, T])[1];
  }

  /** Short strings that tend to break parsers, paths, SQL and templates. */
  nastyString(): string {
    return this.pick([
      '',
      ' ',
      '\u0000',
      '\n',
      '\r\n',
      '\t',
      '"',
      "'",
      '\\',
      '%',
      '%00',
      '%E0%A4%A',
      '../../etc/passwd',
      '..%2f..%2f',
      "'; DROP TABLE studies; --",
      '<script>alert(1)</script>',
      '${7*7}',
      '{{7*7}}',
      '__proto__',
      'constructor',
      'prototype',
      'toString',
      'hasOwnProperty',
      '\ud800',
      '\udfff',
      '\uffff',
      '\ufeff',
      '\u202e',
      '😀',
      'é',
      'NaN',
      'Infinity',
      '-0',
      '1e309',
      'null',
      'undefined',
      'true',
      '[]',
      '{}',
      "=cmd|' /C calc'!A0",
      'x'.repeat(101),
      'x'.repeat(501),
      '0x10',
      ' 1',
      '1 ',
    ]);
  }

  /** A string of `length` characters drawn from ASCII, BMP and astral ranges (lone surrogates included). */
  randomString(length = this.int(40)): string {
    let out = '';
    for (let i = 0; i < length; i++) {
      const kind = this.int(10);
      if (kind < 6) out += String.fromCharCode(32 + this.int(95));
      else if (kind < 8) out += String.fromCharCode(this.int(0x10000));
      else if (kind < 9) out += String.fromCodePoint(0x10000 + this.int(0x10ffff - 0x10000));
      else out += String.fromCharCode(this.int(32));
    }
    return out;
  }

  /** Up to `max` characters (default 2 MB): what an attacker pastes into a text field. */
  hugeString(max = 2_000_000): string {
    const length = this.pick([5_000, 100_001, 600_000, max]);
    return this.pick(['x', 'é', '\u0000', 'ab"\\'])
      .repeat(Math.ceil(length / 4))
      .slice(0, Math.min(length, max));
  }

  /** Numbers JSON and validators handle badly. JSON turns NaN and ±Infinity into null; raw bodies send them as text. */
  nastyNumber(): number {
    return this.pick([
      NaN,
      Infinity,
      -Infinity,
      -0,
      -1,
      0,
      1.5,
      2 ** 31,
      2 ** 53 + 1,
      -(2 ** 53) - 1,
      Number.MAX_VALUE,
      Number.MIN_VALUE,
      1e308,
      -1e308,
    ]);
  }

  /** A value nested `depth` levels deep (arrays or objects). */
  deep(depth: number): unknown {
    let value: unknown = this.pick([null, 1, 'x', []]);
    const asArray = this.chance(0.5);
    for (let i = 0; i < depth; i++) value = asArray ? [value] : { a: value };
    return value;
  }

  /** An object whose own keys are the prototype-pollution keys (built by JSON.parse, so `__proto__` is an own key). */
  protoKeys(base: unknown = {}): unknown {
    const inner = JSON.stringify({ polluted: true, isAdmin: true, kind: 'researcher' });
    const key = this.pick(['__proto__', 'constructor', 'prototype']);
    const extra = key === 'constructor' ? `{"prototype": ${inner}}` : inner;
    const parsed = JSON.parse(`{"${key}": ${extra}}`) as Record<string, unknown>;
    return base !== null && typeof base === 'object' && !Array.isArray(base)
      ? Object.assign(JSON.parse(JSON.stringify(base)) as object, parsed)
      : parsed;
  }

  /** Any JSON-ish value, up to `depth` levels of containers. */
  value(depth = 3): unknown {
    const kind = this.int(depth > 0 ? 12 : 8);
    switch (kind) {
      case 0:
        return null;
      case 1:
        return this.chance(0.5);
      case 2:
        return this.nastyNumber();
      case 3:
        return this.int(1000) - 500;
      case 4:
        return this.nastyString();
      case 5:
        return this.randomString();
      case 6:
        return undefined;
      case 7:
        return this.chance(0.1) ? this.hugeString(200_000) : this.randomString(3);
      case 8:
        return Array.from({ length: this.int(5) }, () => this.value(depth - 1));
      case 9:
        return Object.fromEntries(
          Array.from({ length: this.int(5) }, () => [
            this.chance(0.3) ? this.nastyString() : this.randomString(6),
            this.value(depth - 1),
          ]),
        );
      case 10:
        return this.protoKeys();
      default:
        return this.deep(1 + this.int(200));
    }
  }

  /**
   * A mutation of a valid value: one change at one randomly chosen place (a wrong type, a field dropped or added, a
   * huge string, deep nesting, a NaN-like number, prototype keys). Returns the new value and what was done.
   */
  mutate(valid: unknown): { value: unknown; label: string } {
    const cloned = structuredCloneJson(valid);
    // A payload that is not an object (none at all) is mutated as an empty object.
    const copy: object = cloned !== null && typeof cloned === 'object' ? cloned : {};
    const paths = containerPaths(copy);
    const [path, container] = this.pick(paths);
    const keys = Array.isArray(container) ? container.map((_, i) => String(i)) : Object.keys(container);
    const key = keys.length > 0 && this.chance(0.85) ? this.pick(keys) : this.randomString(5);
    const at = `${path}.${key}`;
    const set = (v: unknown): void => {
      (container as Record<string, unknown>)[key] = v;
    };
    const op = this.int(10);
    switch (op) {
      case 0:
        set(this.value(1));
        return { value: copy, label: `wrong type at ${at}` };
      case 1:
        if (Array.isArray(container)) container.splice(Number(key), 1);
        else delete (container as Record<string, unknown>)[key];
        return { value: copy, label: `missing ${at}` };
      case 2:
        (container as Record<string, unknown>)[this.chance(0.5) ? this.nastyString() : `extra_${this.int(100)}`] =
          this.value(1);
        return { value: copy, label: `extra field in ${path}` };
      case 3:
        set(this.hugeString(this.chance(0.5) ? 300_000 : 1_200_000));
        return { value: copy, label: `huge string at ${at}` };
      case 4:
        set(this.deep(this.pick([50, 500, 1500])));
        return { value: copy, label: `deep nesting at ${at}` };
      case 5:
        set(this.nastyNumber());
        return { value: copy, label: `NaN-like number at ${at}` };
      case 6:
        return {
          value: path === '$' ? this.protoKeys(copy) : (set(this.protoKeys()), copy),
          label: `prototype keys at ${path === '$' ? '$' : at}`,
        };
      case 7:
        set(this.nastyString());
        return { value: copy, label: `nasty string at ${at}` };
      case 8:
        return { value: this.value(2), label: 'replaced by a random value' };
      default:
        set(this.pick([null, [], {}, '', 0, true]));
        return { value: copy, label: `empty value at ${at}` };
    }
  }
}

/** A deep copy through JSON (so own `__proto__` keys survive as data); undefined stays undefined. */
export function structuredCloneJson(value: unknown): unknown {
  return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown);
}

/** Every object or array inside `value` with its path; the root first (a non-container root is wrapped). */
function containerPaths(value: object, path = '$', out: [string, object][] = []): [string, object][] {
  out.push([path, value]);
  for (const [k, v] of Object.entries(value))
    if (v !== null && typeof v === 'object') containerPaths(v as object, `${path}.${k}`, out);
  return out;
}

/** "seed 42, case 17": what to pass back to reproduce one case (see docs/security.md, Fuzzing). */
export function caseRef(seed: number, index: number): string {
  return `seed ${seed}, case ${index}`;
}
