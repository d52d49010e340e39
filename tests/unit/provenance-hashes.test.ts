import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { BenchmarkRecord } from '../../shared/schemas/benchmark.ts';
import { normalizeProblem } from '../../shared/benchmark/normalize-problem.ts';
import { batchParticipants, buildProvenance } from '../../server/services/evaluation/episode-setup.ts';
import { RecordingProvider } from '../support/recording-provider.ts';
import { referenceExample } from '../support/records.ts';

const model = new RecordingProvider(() => 'x', 'm');
const models = { assistant: model, judge: model, simulator: model };
const sha = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex');

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** The reference example with a long persona, so serializing it is most of what a provenance costs. */
function bigRecord(): BenchmarkRecord {
  const record = referenceExample();
  record.persona = { ...record.persona, description: 'a very detailed persona. '.repeat(4000) };
  return record;
}

function hashesOf(record: BenchmarkRecord): [string, string, string] {
  const p = buildProvenance(record, models, true, {}, null);
  return [p.recordSha256, p.personaSha256, p.rubricSha256];
}

describe('provenance hashes', () => {
  it('are the sha256 of the JSON of the record, persona and rubric, frozen or not', () => {
    const loose = bigRecord();
    const expected = [sha(loose), sha(loose.persona), sha(loose.evaluation_rubric)];
    expect(hashesOf(loose)).toEqual(expected);
    const frozen = deepFreeze(bigRecord());
    expect(hashesOf(frozen)).toEqual(expected);
    // Asked again: the same hashes (from the cache for the frozen one).
    expect(hashesOf(frozen)).toEqual(expected);
    expect(hashesOf(loose)).toEqual(expected);
  });

  it('follow a record that is not frozen when it changes', () => {
    const record = bigRecord();
    const before = hashesOf(record);
    record.persona.description = 'changed';
    const after = hashesOf(record);
    expect(after[0]).not.toBe(before[0]);
    expect(after[1]).toBe(sha(record.persona));
    expect(after[2]).toBe(before[2]);
  });

  it('are not taken from the cache for a record frozen only on the outside', () => {
    const record = bigRecord();
    Object.freeze(record);
    const before = hashesOf(record);
    record.persona.description = 'changed inside';
    expect(hashesOf(record)[0]).toBe(sha(record));
    expect(hashesOf(record)[0]).not.toBe(before[0]);
  });

  it('of a deeply frozen record are made once: repeating its provenance costs a fraction of a loose one', () => {
    const frozen = deepFreeze(bigRecord());
    const loose = bigRecord();
    const time = (record: BenchmarkRecord): number => {
      const start = process.hrtime.bigint();
      for (let i = 0; i < 100; i++) buildProvenance(record, models, true, {}, null);
      return Number(process.hrtime.bigint() - start);
    };
    // Warm both paths, then alternate so machine noise hits both alike; the best of five of each.
    time(frozen);
    time(loose);
    const frozenNs: number[] = [];
    const looseNs: number[] = [];
    for (let round = 0; round < 5; round++) {
      frozenNs.push(time(frozen));
      looseNs.push(time(loose));
    }
    expect(Math.min(...frozenNs) / Math.min(...looseNs)).toBeLessThan(0.25);
  });
});

describe("the model under test's hint", () => {
  /** The problem the assistant seat's model is shown in its hint, for one episode of `record`. */
  async function hintedProblem(record: BenchmarkRecord): Promise<unknown> {
    const seen = new RecordingProvider(() => 'x', 'm');
    const seats = { assistant: seen, judge: seen, simulator: seen };
    const provenance = buildProvenance(record, seats, false, {}, null);
    const { assistant } = batchParticipants(record, 'no_prompt', 'no_user_interaction', null, seats, provenance);
    await assistant.respond({ system: null, conversation: [], signal: new AbortController().signal });
    return seen.requests[0]?.hint?.problem;
  }

  it('shows the normalized problem; of a deeply frozen record one shared frozen copy, of a loose one a new one', async () => {
    const frozen = deepFreeze(referenceExample());
    const first = await hintedProblem(frozen);
    expect(first).toEqual(normalizeProblem(referenceExample()));
    expect(await hintedProblem(frozen)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    const loose = referenceExample();
    const looseFirst = await hintedProblem(loose);
    expect(looseFirst).toEqual(first);
    expect(await hintedProblem(loose)).not.toBe(looseFirst);
  });
});
