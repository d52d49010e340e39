import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticBenchmark } from '../../bench/support/synthetic-benchmark.ts';
import { PROJECT_ROOT } from '../../server/config.ts';
import { loadPersonaLibrary } from '../../server/services/persona-library.ts';
import { rawCounts, sliceLines, tableCounts, upload } from '../support/import-probes.ts';
import { ADMIN, signInAsAdmin } from '../support/researcher-http.ts';
import { serveProcess, type ServedApp } from '../support/serve-process.ts';
import { tempDir } from '../support/temp-files.ts';

/**
 * A benchmark import is written in many short transactions (import-benchmark-queries.ts) and is still all or
 * nothing: a conflict on the file's last record, after every other chunk was written, leaves the database as it was;
 * a server killed mid-import leaves nothing after its restart, and the same file then imports in full.
 */
const dir = tempDir('prefdisco-importcrash-');
const db = join(dir, 'crash.sqlite');
const RECORDS = 1200;
const big = join(dir, 'big.jsonl');
const env = {
  PREFDISCO_DB: db,
  PREFDISCO_RUNS_DIR: join(dir, 'runs'),
  PREFDISCO_MODELS_FILE: join(dir, 'no-models.json'),
  PREFDISCO_ADMIN_USERNAME: ADMIN.username,
  PREFDISCO_ADMIN_PASSWORD: ADMIN.password,
};
let server: ServedApp;
let cookie: string;

beforeAll(async () => {
  const personas = await loadPersonaLibrary(join(PROJECT_ROOT, 'personas'));
  await writeSyntheticBenchmark(big, personas, RECORDS);
  server = await serveProcess(env);
  cookie = await signInAsAdmin(server.url);
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('an import that fails or is cut short stores nothing', () => {
  it('a file whose last record conflicts with one in the study stores nothing, after its other chunks were written', async () => {
    const first = sliceLines(big, join(dir, 'first.jsonl'), (lines) => lines.slice(0, 1));
    expect((await upload(server.url, cookie, first, 'Conflict')).status).toBe(200);
    // 500 records (about 14 MB: several chunks), then the study's record with another question.
    const conflicting = sliceLines(big, join(dir, 'conflicting.jsonl'), (lines) => {
      const changed = JSON.parse(lines[0] ?? '') as { original_problem: { question: string } };
      changed.original_problem.question += ' (changed)';
      return [...lines.slice(100, 600), JSON.stringify(changed)];
    });
    const before = tableCounts(db);

    let answered = false;
    const answer = upload(server.url, cookie, conflicting, 'Conflict').finally(() => (answered = true));
    // The most records the table held meanwhile: the chunks before the last record were written, then deleted.
    let peak = 0;
    while (!answered) {
      peak = Math.max(peak, rawCounts(db, 'Conflict').records);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(peak).toBeGreaterThan(250);
    const res = await answer;
    expect(res.status).toBe(409);
    const body = (await res.json()) as { error: string; message: string };
    expect(body.error).toBe('conflict');
    expect(body.message).toMatch(/^line 502: problem_id "problem_0_[^"]+" is already in this study/);
    expect(tableCounts(db)).toEqual(before);
    expect(rawCounts(db, 'Conflict')).toEqual({ records: 1, files: 1, studies: 1 });
  }, 120_000);

  it('a server killed mid-import leaves nothing after its restart; the file then imports in full', async () => {
    const before = tableCounts(db);
    const pending = upload(server.url, cookie, big, 'Crash').catch(() => null);
    // Some chunks are stored (hidden) when the process dies.
    await until(() => rawCounts(db, 'Crash').records > 100, 60_000, 'the first chunks');
    expect(await server.stop('SIGKILL')).toBeNull();
    expect(await pending).toBeNull();
    expect(rawCounts(db, 'Crash').records).toBeGreaterThan(100);

    server = await serveProcess(env);
    expect(server.output()).toMatch(/removed 1 benchmark import\(s\) an earlier run left unfinished/);
    expect(tableCounts(db)).toEqual(before);
    expect(rawCounts(db, 'Crash')).toEqual({ records: 0, files: 0, studies: 0 });

    cookie = await signInAsAdmin(server.url);
    const again = await upload(server.url, cookie, big, 'Crash');
    expect(again.status).toBe(200);
    const outcome = ((await again.json()) as { outcome: { recordsAdded: number; studyCreated: boolean } }).outcome;
    expect(outcome).toMatchObject({ recordsAdded: RECORDS, studyCreated: true });
    expect(rawCounts(db, 'Crash')).toEqual({ records: RECORDS, files: 1, studies: 1 });
    expect(readFileSync(big).length).toBeGreaterThan(25 * 1024 * 1024);
  }, 180_000);
});
