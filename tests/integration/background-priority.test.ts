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
  it('the research worker runs below the live loop’s CPU priority; the loop keeps its own', async () => {
    const served = await serveProcess({
      PREFDISCO_DB: join(dir, 'app.sqlite'),
      PREFDISCO_RUNS_DIR: join(dir, 'runs'),
      PREFDISCO_MODELS_FILE: join(dir, 'no-models.json'),
      PREFDISCO_ADMIN_USERNAME: ADMIN.username,
      PREFDISCO_ADMIN_PASSWORD: ADMIN.password,
    });
    server = served;
    const cookie = await signInAsAdmin(served.url);
    const atStart = threadNice(served.pid);
    expect(atStart.get(served.pid)).toBe(0);
    /** Threads started since `known` whose nice value is 10 (waits up to 10 s for one). */
    const newLowered = async (known: Map<number, number>): Promise<number[]> => {
      for (let i = 0; i < 200; i++) {
        const found = [...threadNice(served.pid)].filter(([tid, n]) => n === 10 && !known.has(tid)).map(([t]) => t);
        if (found.length > 0) return found;
        await sleep(50);
      }
      return [];
    };

    // An upload is validated and stored on the import pool's thread.
    const res = await fetch(`${served.url}/api/studies/import?study=Priority`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-ndjson' },
      body: readFileSync(join(PROJECT_ROOT, 'data', 'sample-benchmark.jsonl')),
    });
    expect(res.status).toBe(200);
    const studyId = ((await res.json()) as { outcome: { studyId: string } }).outcome.studyId;
    expect(await newLowered(atStart)).toHaveLength(1);

    // The first job starts the research worker thread.
    const beforeRun = threadNice(served.pid);
    await call(`${served.url}/api/studies/${studyId}/runs`, 'POST', cookie, { model: 'scripted', judge: 'scripted' });
    expect((await newLowered(beforeRun)).length).toBeGreaterThanOrEqual(1);

    // The loop and every thread the server had at start (the model-call thread, libuv's) keep their priority.
    const after = threadNice(served.pid);
    expect(after.get(served.pid)).toBe(0);
    for (const tid of atStart.keys()) if (after.has(tid)) expect(after.get(tid)).toBe(0);
  });
});
