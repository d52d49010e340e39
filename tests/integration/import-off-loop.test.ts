import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticBenchmark } from '../../bench/support/synthetic-benchmark.ts';
import { PROJECT_ROOT } from '../../server/config.ts';
import { loadPersonaLibrary } from '../../server/services/persona-library.ts';
import { rawCounts, sliceLines, startWriter, upload } from '../support/import-probes.ts';
import { ADMIN, signInAsAdmin } from '../support/researcher-http.ts';
import { serveProcess, type ServedApp } from '../support/serve-process.ts';
import { tempDir } from '../support/temp-files.ts';

/**
 * A big benchmark import on a served process: validated and written on the import thread in short transactions, so
 * /api/health keeps answering and another connection's writes wait for one chunk, not for the file; the file's
 * records stay invisible to the record list until the import's last step shows them all at once.
 *
 * Import time depends on the machine (about 5 s for this file here), so the checks compare latencies with the
 * import's own duration. Before the import moved off the loop, health waited for the whole validation and the other
 * writer for the whole write (about half the import): both far past these bounds.
 */
const dir = tempDir('prefdisco-offloop-');
const db = join(dir, 'import.sqlite');
const RECORDS = 1200;
const big = join(dir, 'big.jsonl');
let server: ServedApp;
let cookie: string;
let studyId: string;

beforeAll(async () => {
  const personas = await loadPersonaLibrary(join(PROJECT_ROOT, 'personas'));
  const bytes = await writeSyntheticBenchmark(big, personas, RECORDS);
  expect(bytes).toBeGreaterThan(25 * 1024 * 1024);
  server = await serveProcess({
    PREFDISCO_DB: db,
    PREFDISCO_RUNS_DIR: join(dir, 'runs'),
    PREFDISCO_MODELS_FILE: join(dir, 'no-models.json'),
    PREFDISCO_ADMIN_USERNAME: ADMIN.username,
    PREFDISCO_ADMIN_PASSWORD: ADMIN.password,
  });
  cookie = await signInAsAdmin(server.url);
  // A small first file makes the study (owned by the admin) and starts the import thread.
  const small = sliceLines(big, join(dir, 'small.jsonl'), (lines) => lines.slice(0, 3));
  const res = await upload(server.url, cookie, small, 'Big');
  expect(res.status).toBe(200);
  studyId = ((await res.json()) as { outcome: { studyId: string } }).outcome.studyId;
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

const p99 = (sorted: number[]): number => sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] ?? 0;

async function visibleTotal(): Promise<number> {
  const res = await fetch(`${server.url}/api/studies/${studyId}/records?offset=0&limit=1`, { headers: { cookie } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { total: number }).total;
}

describe('a big import on a served process', () => {
  it('leaves /api/health and another writer waiting a small fraction of the import; its records appear at once', async () => {
    const writer = startWriter(db);
    let done = false;
    const started = performance.now();
    const imported = upload(server.url, cookie, big, 'Big').then(async (res) => {
      const body = (await res.json()) as { outcome: { recordsAdded: number; recordsUnchanged: number } };
      const ms = performance.now() - started;
      done = true;
      return { status: res.status, body, ms };
    });
    const health: number[] = [];
    const probeHealth = async (): Promise<void> => {
      while (!done) {
        const t = performance.now();
        const res = await fetch(`${server.url}/api/health`);
        await res.arrayBuffer();
        health.push(performance.now() - t);
        expect(res.status).toBe(200);
      }
    };
    // What the record list showed, next to what the table held at that moment.
    const seen: { visible: number; stored: number }[] = [];
    const probeRecords = async (): Promise<void> => {
      while (!done) {
        const stored = rawCounts(db, 'Big').records;
        seen.push({ visible: await visibleTotal(), stored });
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    await Promise.all([probeHealth(), probeRecords()]);
    const result = await imported;
    const waits = (await writer.stop()).sort((a, b) => a - b);
    health.sort((a, b) => a - b);

    expect(result.status).toBe(200);
    expect(result.body.outcome).toMatchObject({ recordsAdded: RECORDS - 3, recordsUnchanged: 3 });
    // The loop answered throughout: many health answers, none near the import's own time.
    expect(health.length).toBeGreaterThan(20);
    expect(p99(health)).toBeLessThan(result.ms / 10);
    // The other connection wrote all along, never held up for more than a small part of the import.
    expect(waits.length).toBeGreaterThan(20);
    expect(waits.at(-1) ?? Infinity).toBeLessThan(result.ms / 5);
    // Records were stored while the list still showed the first file's three, and it never showed a part.
    expect(seen.some((s) => s.visible === 3 && s.stored > 3)).toBe(true);
    expect(seen.every((s) => s.visible === 3 || s.visible === RECORDS)).toBe(true);
    expect(await visibleTotal()).toBe(RECORDS);
  }, 180_000);
});
