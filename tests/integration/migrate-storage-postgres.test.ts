import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunInfo } from '../../shared/schemas/research.ts';
import { PROJECT_ROOT } from '../../server/config.ts';
import { NOT_COPIED } from '../../server/storage/copy-sqlite-to-postgres.ts';
import { PostgresStorage } from '../../server/storage/postgres/postgres-storage.ts';
import { applyMigrations, readMigrations } from '../../server/storage/sqlite/migrate.ts';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import type { Storage } from '../../server/storage/storage.ts';
import { playAsInvitedActor } from '../support/served-actor.ts';
import { postgresInstalled } from '../support/postgres-cluster.ts';
import { needsPostgres, usePostgres } from '../support/postgres-database.ts';
import { ADMIN, call, signInAsAdmin } from '../support/researcher-http.ts';
import { runCli } from '../support/run-cli.ts';
import { serveProcess } from '../support/serve-process.ts';
import { tempDir } from '../support/temp-files.ts';
import { storageSnapshot } from '../support/storage-snapshot.ts';

/**
 * `prefdisco migrate-storage`: an SQLite database a served app filled (the sample imported over HTTP, a scripted batch
 * run on the research worker, an actor's live episode played over a socket to its end, invitation links, consent, a
 * researcher account), plus raters' ratings, a "can't judge" and a flag stored through the Storage interface, is
 * copied into an empty PostgreSQL database by the real bin; then everything read through the Storage interface is the
 * same on both engines, and so is every table's row count. A target holding data and a URL nothing listens at are
 * refused with one line, writing nothing.
 */
const dir = tempDir('prefdisco-migrate-');
const SQLITE_FILE = join(dir, 'study.sqlite');
const SAMPLE = join(PROJECT_ROOT, 'data', 'sample-benchmark.jsonl');
const NOW = new Date('2031-01-01T00:00:00.000Z');

function serveEnv(): Record<string, string> {
  return {
    PREFDISCO_DB: SQLITE_FILE,
    PREFDISCO_RUNS_DIR: join(dir, 'runs'),
    PREFDISCO_MODELS_FILE: join(dir, 'no-models.json'),
    PREFDISCO_SEED_SAMPLE: 'false',
    PREFDISCO_ADMIN_USERNAME: ADMIN.username,
    PREFDISCO_ADMIN_PASSWORD: ADMIN.password,
  };
}

/** The served part: import, batch run, live episode; returns the study's id. */
async function fillThroughTheApp(): Promise<string> {
  const served = await serveProcess(serveEnv());
  try {
    const cookie = await signInAsAdmin(served.url);
    const res = await fetch(`${served.url}/api/studies/import?study=Migrated`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-ndjson' },
      body: readFileSync(SAMPLE),
    });
    expect(res.status).toBe(200);
    const studyId = ((await res.json()) as { outcome: { studyId: string } }).outcome.studyId;
    const { runId } = (await call(`${served.url}/api/studies/${studyId}/runs`, 'POST', cookie, {
      model: 'scripted',
      judge: 'scripted',
      seed: 1,
    })) as { runId: string };
    for (let waited = 0; ; waited += 100) {
      const { run } = (await call(`${served.url}/api/runs/${runId}`, 'GET', cookie)) as { run: RunInfo };
      if (run.status === 'completed') break;
      if (run.status !== 'running' || waited > 90_000) throw new Error(`run ${run.status}:\n${served.output()}`);
      await sleep(100);
    }
    await call(`${served.url}/api/studies/${studyId}/settings`, 'PUT', cookie, {
      models: ['scripted'],
      judgeModel: 'scripted',
      simulatorModel: 'scripted',
      simulatedTwin: false,
      completionCodes: { completed: 'C0DE-MIG' },
      records: { kind: 'list', problemIds: ['problem_0_okafor_3b09eb59'] },
    });
    await call(`${served.url}/api/studies/${studyId}/open`, 'POST', cookie, {});
    await call(`${served.url}/api/studies/${studyId}/invites`, 'POST', cookie, { role: 'rater', label: 'raters' });
    const { invite } = (await call(`${served.url}/api/studies/${studyId}/invites`, 'POST', cookie, {
      role: 'actor',
    })) as { invite: { code: string } };
    const played = await playAsInvitedActor(served.url, invite.code, '5f0c1a2b3c4d5e6f7a8b9c0f');
    expect(played.answered).toBeGreaterThan(0);
    return studyId;
  } finally {
    // A clean shutdown gives the server lease up, so the file is free to migrate.
    expect(await served.stop()).toBe(0);
  }
}

/** Raters' work through the Storage interface: every answer of the study queued, rated, one skipped, one flagged. */
async function rateThroughStorage(studyId: string): Promise<void> {
  const storage = SqliteStorage.open({ file: SQLITE_FILE });
  try {
    const episodes = await storage.listEpisodes({ limit: 1000 });
    const live = await storage.live.listLive({ studyId });
    const candidates = [...episodes, ...live.map((l) => l.summary)]
      .filter((e, i, all) => all.findIndex((o) => o.id === e.id) === i)
      .map((e) => ({
        problemId: e.problemId,
        sourceEpisodeId: e.id,
        sourceParticipantId: live.find((l) => l.summary.id === e.id)?.participantId ?? null,
        answer: `the answer of ${e.id}`,
        transcript: null,
        gold: null,
      }));
    // The actor's rated live episode is queued already (by the app); the batch answers are added here.
    const added = await storage.work.addRatingCandidates(studyId, candidates, NOW);
    expect(added.added).toBeGreaterThanOrEqual(candidates.length - live.length);
    for (const [r, pid] of ['6a0c1a2b3c4d5e6f7a8b9c01', '6a0c1a2b3c4d5e6f7a8b9c02'].entries()) {
      const { participant } = await storage.people.findOrCreateParticipant({
        studyId,
        role: 'rater',
        prolific: { prolificPid: pid },
        now: NOW,
      });
      for (let n = 0; n < 3; n++) {
        const claim = await storage.work.leaseNextRating(studyId, participant.id, NOW, () => 0.5);
        if (claim.kind === 'none') break;
        const item = { studyId, participantId: participant.id, itemId: claim.lease.itemId, now: NOW };
        if (n === 2 && r === 1) {
          await storage.work.skipRating({ ...item, reason: 'other', note: 'not sure', secondsSpent: 12 });
        } else {
          const stored = await storage.work.submitRating({
            ...item,
            scores: { a: n + 1 },
            correct: 1,
            justification: `rater ${r} item ${n}`,
            secondsSpent: 20.25 + n,
            attentionPassed: null,
          });
          expect(stored.kind).toBe('stored');
        }
        if (n === 0) await storage.work.flagItem({ ...item, kind: 'other', note: 'odd wording' });
      }
    }
    expect((await storage.work.listRatings(studyId)).length).toBeGreaterThanOrEqual(3);
  } finally {
    await storage.close();
  }
}

function sqliteCounts(): Record<string, number> {
  const db = new Database(SQLITE_FILE, { readonly: true });
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .pluck()
      .all() as string[];
    return Object.fromEntries(
      tables.map((t) => [t, db.prepare(`SELECT count(*) FROM "${t}"`).pluck().get() as number]),
    );
  } finally {
    db.close();
  }
}

async function postgresCounts(url: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
       WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    const counts: Record<string, number> = {};
    for (const { table_name: t } of tables.rows) {
      counts[t] = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${t}"`)).rows[0]?.n);
    }
    return counts;
  } finally {
    await client.end();
  }
}

describe.skipIf(!postgresInstalled)(needsPostgres('prefdisco migrate-storage: an SQLite file into PostgreSQL'), () => {
  const postgres = usePostgres();
  let studyId = '';

  beforeAll(async () => {
    studyId = await fillThroughTheApp();
    await rateThroughStorage(studyId);
  }, 240_000);

  it('copies every table; everything read through Storage and every row count is the same on both engines', async () => {
    const { url } = await postgres.database();
    const migrated = await runCli(['migrate-storage', '--from', SQLITE_FILE, '--to', url]);
    // stderr carries only the progress line (a plain line when it is not a terminal).
    expect(migrated.stderr).not.toContain('prefdisco:');
    expect(migrated.stderr).toMatch(/^\[ +\] 0\/[\d.]+k rows 0% · table 1\/\d+ \w+/);
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stdout).toMatch(/^copied \d+ rows in \d+ tables from .*study\.sqlite to postgres:\/\//m);

    const before = sqliteCounts();
    const after = await postgresCounts(url);
    // The leases name the processes serving a database, so they stay behind; every other table arrives whole.
    const leases = Object.fromEntries(NOT_COPIED.filter((t) => t in before).map((t) => [t, 0]));
    expect(after).toEqual({ ...before, ...leases });
    for (const table of ['records', 'episode_events', 'ratings', 'rating_skips', 'rating_flags', 'jobs', 'runs'])
      expect(after[table], table).toBeGreaterThan(0);
    for (const table of ['consent_records', 'study_invites', 'participants', 'researchers', 'auth_sessions'])
      expect(after[table], table).toBeGreaterThan(0);

    const sqlite: Storage = SqliteStorage.open({ file: SQLITE_FILE });
    const postgresStorage: Storage = await PostgresStorage.open({ url, maxConnections: 2 });
    try {
      const expected = await storageSnapshot(sqlite, studyId, NOW);
      const actual = await storageSnapshot(postgresStorage, studyId, NOW);
      expect(expected.episodes.length).toBeGreaterThan(1);
      expect(expected.episodes.some((e) => e.events.length > 3)).toBe(true);
      expect(actual).toEqual(expected);

      // Identities were moved past the copied ids: a new import on PostgreSQL gets a fresh file id, no collision.
      const records = await sqlite.listRecords(studyId, { offset: 0, limit: 1 });
      const record = await sqlite.getRecord(studyId, records.items[0]?.problemId ?? '');
      const outcome = await postgresStorage.importBenchmark({
        studyName: 'After the move',
        sourceName: 'again.jsonl',
        sha256: 'sha-after-the-move',
        bytes: 1,
        metadata: null,
        records: record ? [{ line: 1, task: 'math', record }] : [],
      });
      expect(outcome.recordsAdded).toBe(1);
    } finally {
      await sqlite.close();
      await postgresStorage.close();
    }
  }, 180_000);

  it('refuses a target that holds data, naming the table, and writes nothing', async () => {
    const { url } = await postgres.database();
    const first = await runCli(['migrate-storage', '--from', SQLITE_FILE, '--to', url]);
    expect(first.stderr).not.toContain('prefdisco:');
    expect(first.code, first.stderr).toBe(0);
    const before = await postgresCounts(url);
    const again = await runCli(['migrate-storage', '--from', SQLITE_FILE, '--to', url]);
    expect(again.code).toBe(1);
    expect(again.stdout).toBe('');
    const lines = again.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^prefdisco: not migrated: the PostgreSQL database already holds data \(table .*studies/);
    expect(await postgresCounts(url)).toEqual(before);
  }, 180_000);

  it('a row PostgreSQL rejects part-way rolls the whole copy back, naming the table', async () => {
    const { url } = await postgres.database();
    const copy = join(dir, 'nul.sqlite');
    const source = new Database(SQLITE_FILE, { readonly: true });
    await source.backup(copy);
    source.close();
    const db = new Database(copy);
    // PostgreSQL text cannot hold a NUL character; SQLite's can. Ratings come late in the copy order.
    db.prepare(
      "UPDATE ratings SET justification = 'before' || char(0) || 'after' WHERE id = (SELECT min(id) FROM ratings)",
    ).run();
    db.close();
    const failed = await runCli(['migrate-storage', '--from', copy, '--to', url]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toMatch(/^prefdisco: not migrated: copying table ratings failed, nothing was written: /m);
    const { schema_migrations: migrations, ...counts } = await postgresCounts(url);
    expect(migrations).toBeGreaterThan(0);
    expect(Object.values(counts).every((n) => n === 0)).toBe(true);
  }, 180_000);

  it('refuses while a live server holds the SQLite file, and copies nothing', async () => {
    const { url } = await postgres.database();
    const copy = join(dir, 'served.sqlite');
    const db = new Database(SQLITE_FILE, { readonly: true });
    await db.backup(copy);
    db.close();
    const served = new Database(copy);
    // This test's own process, alive on this host, with a lease that has not expired.
    served
      .prepare('INSERT INTO server_lease (id, holder, host, pid, expires_at) VALUES (1, ?, ?, ?, ?)')
      .run('holder', hostname(), process.pid, new Date(Date.now() + 3_600_000).toISOString());
    served.close();
    const refused = await runCli(['migrate-storage', '--from', copy, '--to', url]);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/^prefdisco: not migrated: the SQLite file is served by process /);
    expect(refused.stderr).toContain(`is served by process ${process.pid} on ${hostname()}`);
    // Migrated (the command's first step), but not a row copied.
    const { schema_migrations: migrations, ...counts } = await postgresCounts(url);
    expect(migrations).toBeGreaterThan(0);
    expect(Object.values(counts).every((n) => n === 0)).toBe(true);
  }, 180_000);

  it('refuses a file at another migration level than the app, naming both levels', async () => {
    const { url } = await postgres.database();
    const older = join(dir, 'older.sqlite');
    const migrations = readMigrations();
    const db = new Database(older);
    applyMigrations(db, migrations.slice(0, -1));
    db.close();
    const refused = await runCli(['migrate-storage', '--from', older, '--to', url]);
    expect(refused.code).toBe(1);
    const pad = (n: number): string => String(n).padStart(3, '0');
    expect(refused.stderr.trim()).toMatch(
      new RegExp(
        `^prefdisco: not migrated: the SQLite file is at migration ${pad(migrations.length - 1)} and the ` +
          `PostgreSQL database at ${pad(migrations.length)}: open the file once with this version of the app first`,
      ),
    );
  }, 180_000);

  it('a URL nothing listens at is one line without the password; a missing file is one line', async () => {
    const unreachable = await runCli([
      'migrate-storage',
      '--from',
      SQLITE_FILE,
      '--to',
      'postgresql://prefdisco:hunter2secret@127.0.0.1:1/prefdisco',
    ]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr.trim().split('\n')).toHaveLength(1);
    expect(unreachable.stderr).toMatch(
      /^prefdisco: cannot reach the PostgreSQL server of postgresql:\/\/prefdisco:\*\*\*@127\.0\.0\.1:1\/prefdisco/,
    );
    expect(unreachable.stderr + unreachable.stdout).not.toContain('hunter2secret');
    const notUrl = await runCli(['migrate-storage', '--from', SQLITE_FILE, '--to', 'mysql://u:hunter2secret@h/db']);
    expect(notUrl.code).toBe(2);
    expect(notUrl.stderr).toContain('expected a postgres:// or postgresql:// URL');
    expect(notUrl.stderr).not.toContain('hunter2secret');
    const missing = await runCli(['migrate-storage', '--from', join(dir, 'nope.sqlite'), '--to', 'postgresql://h/db']);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe(`prefdisco: there is no SQLite database at ${join(dir, 'nope.sqlite')}`);
    expect(existsSync(join(dir, 'nope.sqlite'))).toBe(false);
  }, 180_000);
});
