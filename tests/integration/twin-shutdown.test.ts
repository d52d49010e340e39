import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playEpisode } from '../../bench/support/live-actor.ts';
import { startServer, serveEnv, type ServerProcess } from '../../bench/support/live-server-process.ts';
import { joinStudy, prolificId, setUpLiveStudy, writeModelsFile } from '../../bench/support/live-study-setup.ts';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fake-openai-server.ts';
import { roleResponder } from '../support/role-responder.ts';
import { storedTwins } from '../support/stored-twins.ts';
import { tempDir } from '../support/temp-files.ts';

const ACTORS = 3;
const dir = tempDir('prefdisco-twin-shutdown-');
const dbFile = join(dir, 'live.sqlite');
let models: FakeOpenAiServer;
/** The server process running now, stopped after the test even when it fails midway. */
let server: ServerProcess | null = null;

beforeAll(async () => {
  models = await startFakeOpenAiServer();
  // A slow model: streamed turns (the live episodes') take 1 s, every other call (the twins' turns, simulated user,
  // judges) 400 ms, so a twin makes many calls over several seconds and a shutdown finds them in flight.
  const roles = roleResponder({ questions: 3 });
  models.respondWith((body) => {
    const reply = roles(body);
    if (reply.kind !== 'text') return reply;
    return body.stream ? { ...reply, chunks: 20, chunkDelayMs: 50 } : { ...reply, delayMs: 400 };
  });
});
afterAll(async () => {
  await server?.stop('SIGKILL');
  await models.close();
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Twins stored so far with at least `minEvents` events, by id, with their events' JSON (read-only, server running). */
function twinLogs(minEvents: number): Map<string, string[]> {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const twins = db.prepare("SELECT id FROM episodes WHERE twin_of IS NOT NULL AND status = 'running'").pluck();
    const events = db.prepare('SELECT json FROM episode_events WHERE episode_id = ? ORDER BY seq').pluck();
    const logs = new Map<string, string[]>();
    for (const id of twins.all() as string[]) {
      const log = events.all(id) as string[];
      if (log.length >= minEvents) logs.set(id, log);
    }
    return logs;
  } finally {
    db.close();
  }
}

describe('simulated twins at shutdown', () => {
  it('SIGTERM while twins run: the server exits within ~2 s, the twins stay resumable, and after the restart each finishes once, continuing its stored prefix', async () => {
    const env = serveEnv(dir, writeModelsFile(dir, models.baseUrl));
    server = await startServer(env);
    const first = server;
    const study = await setUpLiveStudy(first.url, {
      model: 'mut',
      judgeModel: 'judge',
      playsPerRecord: 1,
      playsPerActor: 1,
      simulatedTwin: true,
    });
    const cookies = await Promise.all(
      Array.from({ length: ACTORS }, (_, i) => joinStudy(first.url, study.inviteCode, prolificId(17, i))),
    );
    let current: Promise<string> = Promise.resolve(first.url);
    const actors = Promise.all(
      cookies.map((cookie) => playEpisode({ cookie, serverUrl: () => current, thinkMs: () => 50, stallMs: 30_000 })),
    );

    // Wait until several twins are under way, with a few events stored each.
    let before = new Map<string, string[]>();
    for (let i = 0; i < 300 && before.size < 2; i++) {
      await sleep(100);
      before = twinLogs(3);
    }
    expect(before.size).toBeGreaterThanOrEqual(2);

    let restarted!: (url: string) => void;
    current = new Promise((resolve) => (restarted = resolve));
    const stopAt = Date.now();
    const code = await first.stop('SIGTERM');
    server = null;
    const stopMs = Date.now() - stopAt;
    expect(code).toBe(0);
    expect(stopMs, `shutdown took ${stopMs} ms`).toBeLessThan(2500);

    // Stopped, not failed: each twin under way is still running, with at least what was stored before the signal.
    const atStop = twinLogs(0);
    for (const [id, log] of before) {
      expect(atStop.get(id)?.slice(0, log.length), `twin ${id}`).toEqual(log);
    }

    const second = await startServer(env);
    server = second;
    restarted(second.url);
    const played = await actors;
    expect(played.map((p) => p.completionCode)).toEqual(played.map(() => 'C0DE-OK'));
    const ids = played.map((p) => p.episodeId);
    let twins = storedTwins(dbFile, ids);
    for (let i = 0; i < 600 && twins.some((t) => t.status !== 'completed'); i++) {
      await sleep(100);
      twins = storedTwins(dbFile, ids);
    }
    expect(twins.map((t) => ({ twins: t.twins, status: t.status, problems: t.problems }))).toEqual(
      ids.map(() => ({ twins: 1, status: 'completed', problems: [] })),
    );
    // Each twin stopped by the shutdown went on from its stored prefix: those events are unchanged.
    const db = new Database(dbFile, { readonly: true, fileMustExist: true });
    try {
      const events = db.prepare('SELECT json FROM episode_events WHERE episode_id = ? ORDER BY seq').pluck();
      for (const [id, log] of atStop) {
        const after = events.all(id) as string[];
        expect(after.slice(0, log.length), `twin ${id}`).toEqual(log);
        expect(after.length).toBeGreaterThan(log.length);
      }
    } finally {
      db.close();
    }
    expect(await second.stop('SIGTERM')).toBe(0);
    server = null;
  }, 120_000);
});
