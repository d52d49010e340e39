import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../shared/stats/random.ts';
import { playEpisode, type AckedReply } from '../../bench/support/live-actor.ts';
import { startServer, serveEnv, type ServerProcess } from '../../bench/support/live-server-process.ts';
import { joinStudy, prolificId, setUpLiveStudy, writeModelsFile } from '../../bench/support/live-study-setup.ts';
import { verifyLiveRun } from '../../bench/support/live-verify.ts';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fake-openai-server.ts';
import { roleResponder } from '../support/role-responder.ts';
import { tempDir } from '../support/temp-files.ts';
import { crashSettings } from '../support/test-env.ts';

const { sessions: SESSIONS, kills: KILLS } = crashSettings();
// Bounded, but growing with the size: each kill costs a restart and every actor's reconnect.
const TIMEOUT_MS = 40_000 + SESSIONS * 1_000 + KILLS * 5_000;
const SEED = 20_261_126;
const dir = tempDir('prefdisco-crash-');
let models: FakeOpenAiServer;

beforeAll(async () => {
  models = await startFakeOpenAiServer();
  // Each model turn streams 60 pieces 25 ms apart (1.5 s), so at any moment most sessions are mid-stream.
  models.respondWith(roleResponder({ questions: 3, chunks: 60, chunkDelayMs: 25 }));
});
afterAll(async () => {
  await models.close();
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('live play survives repeated kill -9 of the server', () => {
  it(
    `${SESSIONS} actors, ${KILLS} SIGKILLs at seeded moments: every acknowledged reply stored once, every episode completed with contiguous seqs`,
    async () => {
      const env = serveEnv(dir, writeModelsFile(dir, models.baseUrl));
      let server: ServerProcess = await startServer(env);
      const study = await setUpLiveStudy(server.url, {
        model: 'mut',
        judgeModel: 'judge',
        playsPerRecord: 1,
        playsPerActor: 1,
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

      const kills: { afterMs: number; streaming: boolean }[] = [];
      for (let k = 0; k < KILLS; k++) {
        const afterMs = Math.round(500 + killRng() * 1000);
        await sleep(afterMs);
        // Then the next reply someone sends, 0–4 ms after it left: it may be stored or not, but its ack never arrives.
        await new Promise<void>((resolve) => {
          replySent = resolve;
          setTimeout(resolve, 3000);
        });
        replySent = null;
        await sleep(k === 0 ? 0 : killRng() * 5);
        let restarted!: (url: string) => void;
        current = new Promise((resolve) => (restarted = resolve));
        kills.push({ afterMs, streaming: Date.now() - lastChunkAt < 100 });
        expect(await server.stop('SIGKILL')).toBeNull();
        server = await startServer(env);
        restarted(server.url);
      }

      const outcomes = await settled;
      const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [String(o.reason)] : []));
      expect(failures).toEqual([]);
      const played = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
      expect(played.every((p) => p.completionCode === 'C0DE-OK')).toBe(true);
      // Every kill landed mid-episode for every actor: each needed a new socket per server process.
      expect(played.map((p) => p.connections)).toEqual(played.map(() => KILLS + 1));
      expect(await server.stop('SIGTERM')).toBe(0);

      const byReply = new Map(acks.map((a) => [`${a.episodeId} ${a.clientMessageId}`, a]));
      expect(byReply.size).toBe(SESSIONS * 3);
      const verified = verifyLiveRun(
        join(dir, 'live.sqlite'),
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
