import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** Helpers of the import-off-loop tests: a writer on its own connection, raw row counts, uploads to a served app. */

// Plain CommonJS evaluated in a worker, so the writer's waits for the lock (better-sqlite3 waits synchronously) stall
// neither the test's event loop nor its /api/health probes. Autocheckpoint off, as on the server's own connection.
const WRITER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 60000');
db.pragma('wal_autocheckpoint = 0');
const insert = db.prepare('INSERT INTO probe_writes (at) VALUES (?)');
let stop = false;
parentPort.on('message', () => { stop = true; });
const waits = [];
(async () => {
  while (!stop) {
    const started = performance.now();
    insert.run(Date.now());
    waits.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  db.close();
  parentPort.postMessage(waits);
})();
`;

/** A writer committing one row every ~5 ms on its own connection until stopped; resolves with its waits (ms). */
export function startWriter(file: string): { stop: () => Promise<number[]> } {
  const db = new Database(file);
  db.exec('CREATE TABLE IF NOT EXISTS probe_writes (at INTEGER)');
  db.close();
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WRITER_SOURCE, { eval: true, workerData: { file, driver } });
  const waits = new Promise<number[]>((resolve) => worker.once('message', resolve));
  return {
    stop: async () => {
      worker.postMessage('stop');
      const result = await waits;
      await worker.terminate();
      return result;
    },
  };
}

/** Row counts read on a connection of the test's own (WAL: they never wait for a writer). */
export function rawCounts(file: string, study: string): { records: number; files: number; studies: number } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const one = (sql: string): number => db.prepare(sql).pluck().get(study) as number;
    return {
      records: one('SELECT COUNT(*) FROM records r JOIN studies s ON s.id = r.study_id WHERE s.name = ?'),
      files: one('SELECT COUNT(*) FROM benchmark_files f JOIN studies s ON s.id = f.study_id WHERE s.name = ?'),
      studies: one('SELECT COUNT(*) FROM studies WHERE name = ?'),
    };
  } finally {
    db.close();
  }
}

/** Total rows of the tables an import writes, whatever the study. */
export function tableCounts(file: string): Record<string, number> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = ['studies', 'benchmark_files', 'records', 'rubric_criteria', 'personas'];
    return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT COUNT(*) FROM ${t}`).pluck().get() as number]));
  } finally {
    db.close();
  }
}

/** POSTs a benchmark file to a served app's import route. */
export async function upload(url: string, cookie: string, file: string, study: string): Promise<Response> {
  return fetch(`${url}/api/studies/import?study=${encodeURIComponent(study)}&skipImages=1`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/x-ndjson' },
    body: readFileSync(file),
  });
}

/** Writes some lines of a JSONL file (the metadata line first) to another file, each line passed through `edit`. */
export function sliceLines(from: string, to: string, pick: (lines: string[]) => string[]): string {
  const lines = readFileSync(from, 'utf8').trimEnd().split('\n');
  writeFileSync(to, `${[lines[0] ?? '', ...pick(lines.slice(1))].join('\n')}\n`);
  return to;
}
