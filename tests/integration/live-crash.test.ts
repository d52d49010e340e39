import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRng } from '../../shared/stats/random.ts';
import { playEpisode, type AckedReply } from '../../bench/support/live-actor.ts';
import { startServer, serveEnv, type ServerProcess } from '../../bench/support/live-server-process.ts';
import { joinStudy, prolificId, setUpLiveStudy, writeModelsFile } from '../../bench/support/live-study-setup.ts';
import { verifyLiveRun } from '../../bench/support/live-verify.ts';
import { describeOnEngines, type EngineDatabase } from '../support/engine-database.ts';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fake-openai-server.ts';
import { roleResponder } from '../support/role-responder.ts';
import { replyFollowUps, storedTwinIds, storedTwins } from '../support/stored-twins.ts';
import { crashSettings } from '../support/test-env.ts';

const { sessions: SESSIONS, kills: KILLS } = crashSettings();
// Bounded, but growing with the size: each kill costs a restart and every actor's reconnect; the twins, killed once
// more after the actors, then run a few at a time on the research worker.
const TIMEOUT_MS = 40_000 + SESSIONS * 1_000 + KILLS * 5_000 + 70_000 + SESSIONS * 1_500;
const SEED = 20_261_126;
let models: FakeOpenAiServer;
/** The server process running now, killed after the test even when it fails midway. */
let alive: ServerProcess | null = null;

beforeAll(async () => {
  models = await startFakeOpenAiServer();
  // Each model turn streams 60 pieces 25 ms apart (1.5 s), so at any moment most sessions are mid-stream. Calls that
  // do not stream (the simulated twins' turns, simulated user, judges) take 150 ms, so twins take a while.
  const roles = roleResponder({ questions: 3, chunks: 60, chunkDelayMs: 25 });
  models.respondWith((body) => {
    const reply = roles(body);
    return reply.kind === 'text' && !body.stream ? { ...reply, delayMs: 150 } : reply;
  });
});
afterAll(async () => {
  await alive?.stop('SIGKILL');
  await models.close();
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Simulated twins running now with some of their events stored (read beside the running server). */
async function twinsUnderWay(db: EngineDatabase): Promise<number> {
  const [row] = await db.rows<{ n: number | string }>(
    `SELECT COUNT(*) AS n FROM episodes e WHERE e.twin_of IS NOT NULL AND e.status = 'running'
       AND EXISTS (SELECT 1 FROM episode_events v WHERE v.episode_id = e.id)`,
  );
  return Number(row?.n ?? 0);
}

/**
 * Whether every one of these live episodes has a completed simulated twin: one cheap count, for the waits. (Taking a
 * snapshot of every event on each poll cost seconds per poll on a loaded machine with PostgreSQL, and the wait ran
 * past the test's budget; the full checks read the snapshot once, after the wait.)
 */
async function twinsAllCompleted(db: EngineDatabase, ids: readonly string[]): Promise<boolean> {
  const [row] = await db.rows<{ n: number | string }>(
    `SELECT COUNT(DISTINCT twin_of) AS n FROM episodes WHERE status = 'completed' AND twin_of IN (${ids.map(() => '?').join(', ')})`,
    ids,
  );
  return Number(row?.n ?? 0) === ids.length;
}

/** The tables the file-reading checks need (stored-twins.ts, live-verify.ts), as an SQLite file on either engine. */
const snapshot = (db: EngineDatabase): Promise<string> => db.sqliteSnapshot(['episodes', 'episode_events']);

describeOnEngines('live play survives repeated kill -9 of the server', (_engine, database) => {
  // A test that failed midway leaves its server running: killed before the next engine's suite starts its own.
  afterAll(async () => {
    await alive?.stop('SIGKILL');
    alive = null;
  });
  it(
    `${SESSIONS} actors, ${KILLS} SIGKILLs at seeded moments: every acknowledged reply stored once, every episode completed with contiguous seqs, every simulated twin finished once`,
    async () => {
      const db = database();
      const env = serveEnv(db.dir, writeModelsFile(db.dir, models.baseUrl), db.env);
      let server: ServerProcess = await startServer(env);
      alive = server;
      const study = await setUpLiveStudy(server.url, {
        model: 'mut',
        judgeModel: 'judge',
        playsPerRecord: 1,
        playsPerActor: 1,
        simulatedTwin: true,
      });
      const cookies = await Promise.all(
        Array.from({ length: SESSIONS }, (_, i) => joinStudy(server.url, study.inviteCode, prolificId(SEED, i))),
      );

      // Actors ask for the URL before every connection; while the server is down they wait for the restarted one.
      let current: Promise<string> = Promise.resolve(server.url);
      // Kill moments come from their own generator, so they do not depend on how the actors' draws interleave.
      const killRng = createRng(SEED);
      const thinkRng = createRng(SEED + 1);
      const acks: AckedReply[] = [];
      let lastChunkAt = 0;
      let replySent: (() => void) | null = null;
      const actors = cookies.map((cookie) =>
        playEpisode({
          cookie,
          serverUrl: () => current,
          thinkMs: () => 50 + thinkRng() * 150,
          stallMs: 20_000,
          onReplyAck: (a) => acks.push(a),
          onChunk: () => void (lastChunkAt = Date.now()),
          onReplySent: () => {
            const kill = replySent;
            replySent = null;
            kill?.();
          },
        }),
      );
      const settled = Promise.allSettled(actors);

      const kills: { afterMs: number; streaming: boolean; twinsUnderWay: number }[] = [];
      for (let k = 0; k < KILLS; k++) {
        const afterMs = Math.round(500 + killRng() * 1000);
        await sleep(afterMs);
        // Then the next reply someone sends, 0–4 ms after it left: it may be stored or not, but its ack never arrives.
        // The actors may still be reconnecting after the last kill (on PostgreSQL the restarted node first takes the
        // episodes over), so the wait for a reply is long; without one the kill lands at a random moment.
        await new Promise<void>((resolve) => {
          replySent = resolve;
          setTimeout(resolve, 15_000);
        });
        replySent = null;
        await sleep(k === 0 ? 0 : killRng() * 5);
        let restarted!: (url: string) => void;
        current = new Promise((resolve) => (restarted = resolve));
        kills.push({ afterMs, streaming: Date.now() - lastChunkAt < 100, twinsUnderWay: await twinsUnderWay(db) });
        expect(await server.stop('SIGKILL')).toBeNull();
        server = await startServer(env);
        alive = server;
        restarted(server.url);
      }

      const outcomes = await settled;
      const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [String(o.reason)] : []));
      expect(failures).toEqual([]);
      const played = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
      expect(played.every((p) => p.completionCode === 'C0DE-OK')).toBe(true);
      // Every kill landed mid-episode for every actor: each needed a new socket per server process.
      expect(played.map((p) => p.connections)).toEqual(played.map(() => KILLS + 1));
      // The twins run on after the actors (their jobs, a few at a time): once more kill -9 while some are under way.
      const ids = played.map((p) => p.episodeId);
      let underWay = await twinsUnderWay(db);
      for (let i = 0; i < 300 && underWay === 0 && !(await twinsAllCompleted(db, ids)); i++) {
        await sleep(100);
        underWay = await twinsUnderWay(db);
      }
      if (underWay > 0) {
        kills.push({ afterMs: 0, streaming: false, twinsUnderWay: underWay });
        expect(await server.stop('SIGKILL')).toBeNull();
        server = await startServer(env);
        alive = server;
      }
      // Some kill stopped twins midway (they had stored events and were not finished).
      expect(kills.filter((k) => k.twinsUnderWay > 0).length, JSON.stringify(kills)).toBeGreaterThan(0);
      // Every live episode's simulated twin finishes exactly once: one twin each, completed, its log whole (seqs without
      // gap or repeat, one start, one end). Twins a kill stopped resume after the restart.
      for (let i = 0; i < 10 * (30 + SESSIONS * 1.5) && !(await twinsAllCompleted(db, ids)); i++) await sleep(100);
      const twins = storedTwins(await snapshot(db), ids);
      expect(twins.map((t) => ({ twins: t.twins, status: t.status, problems: t.problems }))).toEqual(
        ids.map(() => ({ twins: 1, status: 'completed', problems: [] })),
      );
      expect(await server.stop('SIGTERM')).toBe(0);
      alive = null;

      const stored = await snapshot(db);
      const byReply = new Map(acks.map((a) => [`${a.episodeId} ${a.clientMessageId}`, a]));
      expect(byReply.size).toBe(SESSIONS * 3);
      const verified = verifyLiveRun(
        stored,
        [...byReply.values()],
        played.map((p) => p.episodeId),
      );
      expect(verified.problems).toEqual([]);
      expect(verified).toMatchObject({
        ackedReplies: SESSIONS * 3,
        storedReplies: SESSIONS * 3,
        missing: 0,
        duplicated: 0,
        seqMismatch: 0,
        unacknowledged: 0,
      });
      // Every reply, in the live episodes and their twins, was labeled once, and every question the person answered got
      // one twin reply: the ones a kill interrupted were made after the restart, none twice.
      expect(replyFollowUps(stored, ids, true)).toEqual([]);
      expect(replyFollowUps(stored, storedTwinIds(stored, ids), false)).toEqual([]);
      // A resend after a restart is acknowledged with the seq the first send was stored at.
      for (const a of acks) expect(a.seq).toBe(byReply.get(`${a.episodeId} ${a.clientMessageId}`)?.seq);
      // Some reply was in flight at a kill, and its resend after the restart was acknowledged (same seq, checked above).
      expect(acks.filter((a) => a.resent).length).toBeGreaterThan(0);
      // The kills landed while the model was streaming to someone (the point of the slow stream).
      expect(kills.filter((k) => k.streaming).length, JSON.stringify(kills)).toBeGreaterThan(0);
    },
    TIMEOUT_MS,
  );
});
