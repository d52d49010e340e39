import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FORMULA_START } from '../../shared/csv-formula.ts';
import { InviteCodeSchema } from '../../shared/schemas/auth.ts';
import { parseCsv } from '../../server/services/csv/read-csv.ts';
import { encodeRows } from '../../server/services/research/table-format.ts';
import { newInviteCode, newItemId, randomSafeId } from '../../server/storage/random-ids.ts';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import { tempDir } from '../support/temp-files.ts';

/**
 * Every kind of id the server generates: episode, participant, study, run, lease and researcher ids are UUIDs
 * (randomUUID), invite codes and rating item ids are base64url. base64url's alphabet holds "-", a formula start, so
 * without the guard about 1 id in 64 would start with it (2,000 draws would almost surely show one).
 */
const GENERATORS: Record<string, () => string> = {
  uuid: randomUUID,
  inviteCode: newInviteCode,
  itemId: newItemId,
  'randomSafeId(1)': () => randomSafeId(1),
};
const DRAWS = 20_000;

async function csvText(rows: Record<string, string>[]): Promise<string> {
  let text = '';
  for await (const chunk of encodeRows(
    'csv',
    ['id'],
    (async function* () {
      yield* rows;
    })(),
  ))
    text += chunk;
  return text;
}

describe('generated ids', () => {
  for (const [name, generate] of Object.entries(GENERATORS)) {
    it(`${name}: never starts with a formula character in ${DRAWS} draws`, () => {
      const leading = new Set<string>();
      for (let i = 0; i < DRAWS; i++) leading.add(generate().charAt(0));
      expect([...leading].filter((c) => FORMULA_START.test(c))).toEqual([]);
    });
  }

  it('a one-byte id still reaches every other first character (rejection, not a fixed substitute)', () => {
    const leading = new Set<string>();
    for (let i = 0; i < DRAWS; i++) leading.add(randomSafeId(1).charAt(0));
    // base64url has 64 first characters; only "-" is refused.
    expect(leading.size).toBe(63);
    expect(leading.has('_')).toBe(true);
  });

  it('survives a CSV round trip unchanged, unlike an id starting with "-" (the export defuses it)', async () => {
    const ids = Array.from({ length: 500 }, (_, i) => (i % 2 === 0 ? newItemId() : newInviteCode()));
    const parsed = parseCsv(await csvText(ids.map((id) => ({ id }))));
    expect(parsed.problems).toEqual([]);
    expect(parsed.records.slice(1).map((r) => r.fields[0])).toEqual(ids);
    // What an old id would have become: the reason for the guard.
    const old = parseCsv(await csvText([{ id: '-Ab3' }]));
    expect(old.records[1]?.fields[0]).toBe("'-Ab3");
  });

  describe('through storage', () => {
    const storage = SqliteStorage.open({ file: join(tempDir('prefdisco-ids-'), 'ids.sqlite') });
    afterAll(() => storage.close());

    it('invite codes made by storage never start with a formula character; an old "-" code is still a valid link', async () => {
      const study = await storage.createStudy({ name: 'Ids' });
      const codes: string[] = [];
      for (let i = 0; i < 640; i++)
        codes.push((await storage.people.createInvite({ studyId: study.id, role: 'rater' })).code);
      expect(codes.filter((c) => FORMULA_START.test(c))).toEqual([]);
      expect(new Set(codes).size).toBe(codes.length);
      expect(await storage.people.findInvite(codes[0] as string)).toMatchObject({ studyId: study.id });
      expect(InviteCodeSchema.safeParse('-oldCode_1234567890abcd').success).toBe(true);
    });
  });
});
