import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../server/config.ts';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import { runCli } from '../support/run-cli.ts';
import { serveProcess } from '../support/serve-process.ts';
import { tempDir } from '../support/temp-files.ts';

const dir = tempDir();

/** A batch run stored 'running', as a server stores one it is running; a starting server would interrupt it. */
async function runningRun(storage: SqliteStorage): Promise<string> {
  const study = (await storage.listStudies())[0] ?? (await storage.createStudy({ name: 'runs' }));
  const run = await storage.research.createStudyRun({
    id: `run-${study.id}`,
    studyId: study.id,
    benchmarkSha256: 'b',
    outPath: join(dir, `run-${study.id}.jsonl`),
    options: {
      model: 'scripted',
      judge: 'scripted',
      simulator: 'scripted',
      modes: ['no_prompt'],
      userTypes: ['passive_nostop'],
      maxTurns: 5,
      fixedQuestions: null,
      maxProblems: null,
      seed: 42,
    },
  });
  return run.id;
}

describe('one server per database', () => {
  it('a second server on the same database exits 1 with one line naming the holder, touching nothing of the first', async () => {
    const db = join(dir, 'shared.sqlite');
    const first = await serveProcess({ PREFDISCO_DB: db });
    const storage = SqliteStorage.open({ file: db });
    try {
      const run = await runningRun(storage);
      const pid = (await storage.serverLease.current())?.pid;
      expect(pid).toBeGreaterThan(0);

      const started = Date.now();
      const second = await runCli(['serve'], { PREFDISCO_DB: db, PREFDISCO_PORT: '0' });
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(
        new RegExp(`^prefdisco: the database .*shared\\.sqlite is already served by process ${pid} on .*\\n$`),
      );
      expect(Date.now() - started).toBeLessThan(15_000);
      expect((await storage.research.getRun(run))?.status).toBe('running');
      expect((await storage.serverLease.current())?.pid).toBe(pid);
      expect(await (await fetch(`${first.url}/api/health`)).json()).toMatchObject({ ok: true });
    } finally {
      await storage.close();
      expect(await first.stop()).toBe(0);
    }
    // A clean shutdown gives the lease up: the next start does not wait.
    const check = SqliteStorage.open({ file: db });
    expect(await check.serverLease.current()).toBeNull();
    await check.close();
  });

  it('a server whose lease another process took stops itself, exits 1, and leaves the new holder its lease', async () => {
    const db = join(dir, 'taken.sqlite');
    const served = await serveProcess({ PREFDISCO_DB: db });
    // Another server took the database over (as one would after this one stalled past the lease's expiry).
    const thief = new Database(db);
    const until = new Date(Date.now() + 60_000).toISOString();
    thief.prepare(`UPDATE server_lease SET holder = 'thief', host = 'elsewhere', pid = 1, expires_at = ?`).run(until);
    thief.close();
    const started = Date.now();
    // Renewal runs every 5 s; a loaded CI machine can delay timers, so allow several rounds.
    while (!/another server took over this database/.test(served.output()) && Date.now() - started < 40_000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(served.output()).toMatch(/another server took over this database/);
    // It stops by itself: a SIGTERM sent now could land while the process is already exiting, after Node has restored
    // the signal's default action, and end it by the signal instead of its exit code.
    expect(await served.exited()).toBe(1);
    const check = SqliteStorage.open({ file: db });
    expect(await check.serverLease.current()).toMatchObject({ holder: 'thief', pid: 1 });
    await check.close();
  }, 90_000);

  it('a taken port stops start-up before any recovery: the runs left running stay as they were, and the process exits 1', async () => {
    const db = join(dir, 'port.sqlite');
    const seed = SqliteStorage.open({ file: db });
    const run = await runningRun(seed);
    await seed.close();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await runCli(['serve'], {
        PREFDISCO_DB: db,
        PREFDISCO_PORT: String(port),
        PREFDISCO_HOST: '127.0.0.1',
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^prefdisco: .*EADDRINUSE.*another program is using the port.*\n$/);
    } finally {
      blocker.close();
    }
    const check = SqliteStorage.open({ file: db });
    expect((await check.research.getRun(run))?.status).toBe('running');
    expect(await check.serverLease.current()).toBeNull();
    await check.close();
  });
});

describe('npm start (scripts/start.mjs)', () => {
  it("exits with the server's exit code when the server cannot start", async () => {
    const db = join(dir, 'npm-start.sqlite');
    const first = await serveProcess({ PREFDISCO_DB: db });
    try {
      const r = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
        const child = spawn(process.execPath, [join(PROJECT_ROOT, 'scripts', 'start.mjs'), '--no-build'], {
          cwd: PROJECT_ROOT,
          env: { ...process.env, PREFDISCO_DB: db, PREFDISCO_PORT: '0' },
        });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stderr }));
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^prefdisco: the database .*npm-start\.sqlite is already served by process \d+ on /);
    } finally {
      expect(await first.stop()).toBe(0);
    }
  });
});
