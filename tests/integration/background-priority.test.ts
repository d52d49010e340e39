import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../server/config.ts';
import { ADMIN, call, signInAsAdmin } from '../support/researcher-http.ts';
import { serveProcess, type ServedApp } from '../support/serve-process.ts';
import { tempDir } from '../support/temp-files.ts';

const dir = tempDir('prefdisco-priority-');
let server: ServedApp | null = null;

afterAll(async () => {
  await server?.stop();
});

/** Each thread of a process with its nice value (field 19 of /proc/<pid>/task/<tid>/stat). */
function threadNice(pid: number): Map<number, number> {
  const nice = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      // Fields after the command name, which is in parentheses and may hold spaces: state is field 3, nice 19.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      nice.set(Number(tid), Number(fields[16]));
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return nice;
}

describe.skipIf(process.platform !== 'linux')('background threads on Linux (per-thread nice values)', () => {
  it('the report and model-call threads run below the live loop’s CPU priority; the loop and the writers keep it', async () => {
    const served = await serveProcess({
      PREFDISCO_DB: join(dir, 'app.sqlite'),
      PREFDISCO_RUNS_DIR: join(dir, 'runs'),
      PREFDISCO_MODELS_FILE: join(dir, 'no-models.json'),
      PREFDISCO_ADMIN_USERNAME: ADMIN.username,
      PREFDISCO_ADMIN_PASSWORD: ADMIN.password,
    });
    server = served;
    const cookie = await signInAsAdmin(served.url);
    /** Threads started since `known` whose nice value is 10 (waits up to `tries` × 50 ms for one). */
    const newLowered = async (known: Map<number, number>, tries = 200): Promise<number[]> => {
      for (let i = 0; i < tries; i++) {
        const found = [...threadNice(served.pid)].filter(([tid, n]) => n === 10 && !known.has(tid)).map(([t]) => t);
        if (found.length > 0) return found;
        await sleep(50);
      }
      return [];
    };

    // The model-call thread, started with the server, only talks to models: it lowers itself to nice +10.
    const modelThread = await newLowered(new Map());
    expect(modelThread).toHaveLength(1);
    const atStart = threadNice(served.pid);
    expect(atStart.get(served.pid)).toBe(0);

    // An upload is validated and stored on the import pool's thread.
    const res = await fetch(`${served.url}/api/studies/import?study=Priority`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-ndjson' },
      body: readFileSync(join(PROJECT_ROOT, 'data', 'sample-benchmark.jsonl')),
    });
    expect(res.status).toBe(200);
    const studyId = ((await res.json()) as { outcome: { studyId: string } }).outcome.studyId;
    // The first job starts the research worker thread. Both it and the import thread write to the database, so they
    // keep the loop's priority (a niced thread would hold SQLite's write lock while descheduled) under a CPU share.
    await call(`${served.url}/api/studies/${studyId}/runs`, 'POST', cookie, { model: 'scripted', judge: 'scripted' });
    expect(await newLowered(atStart, 40)).toEqual([]);

    // The agreement report's thread only reads: it runs at nice +10.
    const beforeReport = threadNice(served.pid);
    // Whatever it answers for a study without ratings, the report ran on its pool's thread.
    await (await fetch(`${served.url}/api/studies/${studyId}/agreement?resamples=100`, { headers: { cookie } })).text();
    expect(await newLowered(beforeReport)).toHaveLength(1);

    // The loop and every other thread the server had at start (libuv's, V8's) keep their priority.
    const after = threadNice(served.pid);
    expect(after.get(served.pid)).toBe(0);
    for (const tid of atStart.keys()) if (after.has(tid)) expect(after.get(tid)).toBe(tid === modelThread[0] ? 10 : 0);
  });
});
