import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunInfo } from '../../shared/schemas/research.ts';
import { PROJECT_ROOT } from '../../server/config.ts';
import { postgresInstalled } from '../support/postgres-cluster.ts';
import { needsPostgres, usePostgres } from '../support/postgres-database.ts';
import { ADMIN, call, signInAsAdmin } from '../support/researcher-http.ts';
import { runCli } from '../support/run-cli.ts';
import { serveProcess, type ServedApp } from '../support/serve-process.ts';
import { tempDir } from '../support/temp-files.ts';
import { playAsInvitedActor } from '../support/served-actor.ts';

/**
 * `prefdisco serve` on PostgreSQL (PREFDISCO_DATABASE_URL): start-up migrates an empty database, a researcher imports
 * the sample benchmark over HTTP (on the import thread) and a scripted batch run finishes on the research worker
 * thread, each with its own connection to the same database. A URL nothing listens at stops start-up with one line.
 */
const dir = tempDir('prefdisco-pg-served-');
const SAMPLE = join(PROJECT_ROOT, 'data', 'sample-benchmark.jsonl');

function baseEnv(): Record<string, string> {
  return {
    // A file that must stay unused: PREFDISCO_DATABASE_URL wins.
    PREFDISCO_DB: join(dir, 'unused.sqlite'),
    PREFDISCO_RUNS_DIR: join(dir, 'runs'),
    PREFDISCO_MODELS_FILE: join(dir, 'no-models.json'),
    PREFDISCO_SEED_SAMPLE: 'false',
    PREFDISCO_ADMIN_USERNAME: ADMIN.username,
    PREFDISCO_ADMIN_PASSWORD: ADMIN.password,
  };
}

describe.skipIf(!postgresInstalled)(needsPostgres('prefdisco serve on PostgreSQL'), () => {
  const postgres = usePostgres();
  let server: ServedApp | null = null;
  let url = '';
  let cookie = '';

  beforeAll(async () => {
    // Empty, not migrated: the server applies the migrations itself.
    ({ url } = await postgres.database());
    server = await serveProcess({ ...baseEnv(), PREFDISCO_DATABASE_URL: url });
    cookie = await signInAsAdmin(server.url);
  }, 120_000);

  afterAll(async () => {
    // The server's pool must be gone before the database is dropped.
    await server?.stop();
  });

  async function rowsOf(sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as Record<string, unknown>[];
    } finally {
      await client.end();
    }
  }

  it('imports the sample benchmark over HTTP and a scripted batch run finishes on the research worker', async () => {
    const served = server as ServedApp;
    const res = await fetch(`${served.url}/api/studies/import?study=Served`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-ndjson' },
      body: readFileSync(SAMPLE),
    });
    expect(res.status).toBe(200);
    const { outcome } = (await res.json()) as { outcome: { studyId: string; recordsAdded: number } };
    const studyId = outcome.studyId;
    // Every line but the metadata line is a record.
    const records =
      readFileSync(SAMPLE, 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '').length - 1;
    expect(outcome.recordsAdded).toBe(records);
    // The records are in PostgreSQL (the server wrote no SQLite file).
    const stored = await rowsOf('SELECT count(*)::int AS n FROM records WHERE study_id = $1', [studyId]);
    expect(stored[0]?.n).toBe(records);

    const started = await call(`${served.url}/api/studies/${studyId}/runs`, 'POST', cookie, {
      model: 'scripted',
      judge: 'scripted',
      seed: 1,
    });
    const runId = started.runId as string;
    let run: RunInfo;
    for (let waited = 0; ; waited += 100) {
      run = ((await call(`${served.url}/api/runs/${runId}`, 'GET', cookie)) as { run: RunInfo }).run;
      if (run.status !== 'running') break;
      if (waited > 90_000) throw new Error(`run still ${run.status}:\n${served.output().slice(-3000)}`);
      await sleep(100);
    }
    expect(run.status).toBe('completed');
    expect(run.progress?.done).toBe(run.progress?.total);
    const episodes = await rowsOf(
      "SELECT count(*)::int AS n FROM episodes WHERE run_id = $1 AND status = 'completed'",
      [runId],
    );
    expect(episodes[0]?.n).toBe(run.progress?.total);
    expect(episodes[0]?.n).toBeGreaterThanOrEqual(records);
    const jobs = await rowsOf('SELECT status FROM jobs WHERE key = $1', [`batch_run:${runId}`]);
    expect(jobs).toEqual([{ status: 'done' }]);
    expect(existsSync(baseEnv().PREFDISCO_DB as string)).toBe(false);
  }, 120_000);

  it('a URL nothing listens at stops start-up with one line that does not show the password', async () => {
    const failed = await serveProcess({
      ...baseEnv(),
      PREFDISCO_DATABASE_URL: 'postgresql://prefdisco:hunter2secret@127.0.0.1:1/prefdisco',
    }).then(
      () => null,
      (error: unknown) => (error as Error).message,
    );
    expect(failed).not.toBeNull();
    const output = (failed ?? '').replace(/^the server exited \(1\):\n/, '').trim();
    expect(output.split('\n')).toHaveLength(1);
    expect(output).toMatch(
      /^prefdisco: cannot reach the PostgreSQL server of postgresql:\/\/prefdisco:\*\*\*@127\.0\.0\.1:1\/prefdisco/,
    );
    expect(output).not.toContain('hunter2secret');
  }, 60_000);

  it('the CLI works on the configured PostgreSQL database; backup refuses and names pg_dump', async () => {
    const env = { ...baseEnv(), PREFDISCO_DATABASE_URL: url };
    // The study the first test imported, reached through PostgreSQL (there is no SQLite file to find it in).
    const shared = await runCli(
      ['studies', 'share', '--study', 'Served', '--username', ADMIN.username, '--role', 'owner'],
      env,
    );
    expect(shared.stderr).toBe('');
    expect(shared.code).toBe(0);
    expect(shared.stdout).toContain('of study "Served" (database postgres');
    const backup = await runCli(['backup', '--out', join(dir, 'copy.sqlite')], env);
    expect(backup.code).toBe(1);
    expect(backup.stderr.trim()).toBe(
      'prefdisco: prefdisco backup works on SQLite; use pg_dump for the PostgreSQL database (PREFDISCO_DATABASE_URL)',
    );
    expect(existsSync(join(dir, 'copy.sqlite'))).toBe(false);
  }, 60_000);

  it('a second server serves the same database beside the first: each holds its own node lease', async () => {
    const second = await serveProcess({ ...baseEnv(), PREFDISCO_DATABASE_URL: url });
    try {
      const nodes = await rowsOf('SELECT pid FROM server_nodes ORDER BY started_at');
      expect(nodes.map((n) => n.pid)).toEqual([(server as ServedApp).pid, second.pid]);
      expect((await fetch(`${second.url}/api/health`)).status).toBe(200);
    } finally {
      await second.stop();
    }
    // A clean shutdown gives its node lease up.
    expect((await rowsOf('SELECT pid FROM server_nodes')).map((n) => n.pid)).toEqual([(server as ServedApp).pid]);
  }, 60_000);

  it('an actor plays a live episode with the scripted model to its end and rates it', async () => {
    const served = server as ServedApp;
    const studyId = String((await rowsOf("SELECT id FROM studies WHERE name = 'Served'"))[0]?.id);
    await call(`${served.url}/api/studies/${studyId}/settings`, 'PUT', cookie, {
      models: ['scripted'],
      judgeModel: 'scripted',
      simulatorModel: 'scripted',
      simulatedTwin: false,
      completionCodes: { completed: 'C0DE-PG' },
      records: { kind: 'list', problemIds: ['problem_0_okafor_3b09eb59'] },
    });
    await call(`${served.url}/api/studies/${studyId}/open`, 'POST', cookie, {});
    const { invite } = (await call(`${served.url}/api/studies/${studyId}/invites`, 'POST', cookie, {
      role: 'actor',
    })) as { invite: { code: string } };
    const { episodeId, answered, events, completionCode } = await playAsInvitedActor(
      served.url,
      invite.code,
      '5f0c1a2b3c4d5e6f7a8b9c0e',
    );
    // The scripted model asks before it answers: the actor's replies went through the live loop into PostgreSQL.
    expect(answered).toBeGreaterThan(0);
    expect(completionCode).toBe('C0DE-PG');
    // The episode and every event the actor saw are in PostgreSQL, each seq once.
    const stored = await rowsOf('SELECT seq, type FROM episode_events WHERE episode_id = $1 ORDER BY seq', [episodeId]);
    expect(stored.map((r) => r.type)).toContain('episode_completed');
    expect(stored.filter((r) => r.type === 'message').length).toBeGreaterThanOrEqual(answered * 2);
    const seqs = stored.map((r) => Number(r.seq));
    expect(seqs).toEqual(seqs.map((_, i) => i));
    expect(seqs.length).toBeGreaterThanOrEqual(Math.max(...events.keys()) + 1);
  }, 90_000);
});
