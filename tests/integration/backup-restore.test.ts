import { writeFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EpisodeEvent } from '../../shared/schemas/episode.ts';
import { SCRIPTED_MODEL } from '../../server/models/model-registry.ts';
import { ScriptedProvider } from '../../server/models/scripted/scripted-provider.ts';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import { joinAs, openSocket, request, startLiveApp, until } from '../support/live-app.ts';
import { runCli } from '../support/run-cli.ts';
import { serveProcess } from '../support/serve-process.ts';
import { simplePlayQueue } from '../support/simple-play-queue.ts';
import { SlowStreamProvider } from '../support/slow-stream-provider.ts';
import { tempDir } from '../support/temp-files.ts';

const dir = tempDir();
const open: { close(): Promise<void> | void }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function eventsOf(storage: SqliteStorage | { live: SqliteStorage['live'] }, id: string): Promise<EpisodeEvent[]> {
  return storage.live.eventsAfter(id, -1);
}

describe('prefdisco backup and restore', () => {
  it('backs up during live play, and the restored copy holds the episodes and their events and serves', async () => {
    const db = join(dir, 'live.sqlite');
    const live = await startLiveApp(db, {
      queue: (storage, name) => simplePlayQueue(storage, name),
      model: new SlowStreamProvider(new ScriptedProvider(SCRIPTED_MODEL), 2, 60),
    });
    open.push(live);
    // Three people playing, each with a model turn streaming while the backup runs.
    const episodes: string[] = [];
    let chunks = 0;
    for (let i = 0; i < 3; i++) {
      const cookie = await joinAs(live.app, live.storage, live.studyId, 'actor', `pid-${i}`);
      const socket = await openSocket(live.url, cookie);
      open.push({ close: () => void socket.close() });
      socket.on('episode:chunked', () => (chunks += 1));
      const snapshot = await request(socket, 'play:start', {});
      episodes.push(snapshot.episodeId);
      // The person answers each question as it arrives, so model turns keep streaming through the backup.
      socket.on('episode:appended', ({ event }) => {
        if (event.type !== 'message' || event.role !== 'assistant' || event.final) return;
        void request(socket, 'episode:reply', {
          episodeId: snapshot.episodeId,
          clientMessageId: `r-${event.seq}`,
          text: `answer ${event.seq}`,
        }).catch(() => undefined);
      });
    }
    await until(() => chunks > 5, 10_000, 'model turns streaming');
    const before = new Map<string, number>();
    for (const id of episodes) before.set(id, (await eventsOf(live.storage as SqliteStorage, id)).length);

    const out = join(dir, 'backup.sqlite');
    const chunksBeforeBackup = chunks;
    const backup = await runCli(['backup', '--out', out], { PREFDISCO_DB: db });
    expect(chunks).toBeGreaterThan(chunksBeforeBackup);
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/^backed up .*live\.sqlite to .*backup\.sqlite: \d+\.\d MB in \d+\.\d s\n$/);

    // An existing file is not overwritten without --force.
    const again = await runCli(['backup', '--out', out], { PREFDISCO_DB: db });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('exists; choose another --out, or add --force');
    expect((await runCli(['backup', '--out', out, '--force'], { PREFDISCO_DB: db })).code).toBe(0);

    // Restored into a new path: every episode is there with a consistent prefix of its events.
    const restored = join(dir, 'restored', 'prefdisco.sqlite');
    const restore = await runCli(['restore', out, '--db', restored]);
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);
    expect(restore.stdout).toBe(`restored ${out} to ${restored}\n`);
    const copy = SqliteStorage.open({ file: restored });
    for (const id of episodes) {
      const copied = await eventsOf(copy, id);
      const current = await eventsOf(live.storage as SqliteStorage, id);
      expect(copied.length).toBeGreaterThanOrEqual(before.get(id) ?? Infinity);
      expect(copied.map((e) => e.seq)).toEqual(copied.map((_, i) => i));
      expect(copied).toEqual(current.slice(0, copied.length));
      expect((await copy.live.get(id))?.studyId).toBe(live.studyId);
    }
    const studies = (await copy.listStudies()).map((s) => s.recordCount);
    // The slow test model exists only in this test process, so the served process could not resume these episodes.
    for (const id of episodes) {
      if ((await copy.live.get(id))?.summary.status !== 'running') continue;
      await copy.live.finish(id, {
        status: 'aborted',
        weightedScore: null,
        correct: null,
        interactionTurns: null,
        failure: { stage: 'test', reason: 'restored without its model' },
      });
    }
    await copy.close();
    expect(studies).toEqual([64]);

    // A server starts on the restored database and serves it; restore is refused while it does.
    const served = await serveProcess({ PREFDISCO_DB: restored });
    try {
      expect(await (await fetch(`${served.url}/api/health`)).json()).toMatchObject({ ok: true });
      const refused = await runCli(['restore', out, '--db', restored]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/^prefdisco: not restoring: the database .* is already served by process \d+ on /);
    } finally {
      expect(await served.stop()).toBe(0);
    }
    const check = SqliteStorage.open({ file: restored });
    expect(await check.getStudy(live.studyId)).not.toBeNull();
    for (const id of episodes) expect((await check.live.get(id))?.summary.id).toBe(id);
    await check.close();

    // Restoring over an existing database keeps the replaced one beside it.
    const over = await runCli(['restore', out, '--db', restored]);
    expect(over.code).toBe(0);
    const kept = readdirSync(join(dir, 'restored')).filter((f) =>
      /^prefdisco\.sqlite\.before-restore-[\dTZ-]+$/.test(f),
    );
    expect(kept).toHaveLength(1);
    expect(over.stdout).toContain(`the replaced database is kept as ${join(dir, 'restored', kept[0] ?? '')}`);
  });

  it('refuses a file that is not a PrefDisco database, and leaves the database as it was', async () => {
    const target = join(dir, 'untouched.sqlite');
    const bogus = join(dir, 'notes.txt');
    writeFileSync(bogus, 'not a database at all, just some text long enough to look like something');
    const r = await runCli(['restore', bogus, '--db', target]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^prefdisco: cannot restore .*notes\.txt: it is not a readable SQLite database/);
    expect(existsSync(target)).toBe(false);

    const plain = join(dir, 'plain.sqlite');
    const other = SqliteStorage.open({ file: plain });
    await other.close();
    const { default: Database } = await import('better-sqlite3');
    const foreign = new Database(plain);
    foreign.exec('DROP TABLE schema_migrations');
    foreign.close();
    const r2 = await runCli(['restore', plain, '--db', target]);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain('not a PrefDisco one (no schema_migrations table)');
    expect(existsSync(target)).toBe(false);
  });
});
