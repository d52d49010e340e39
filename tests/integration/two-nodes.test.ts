import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChunkMessage } from '../../shared/protocol/live.ts';
import type { EpisodeEvent } from '../../shared/schemas/episode.ts';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fake-openai-server.ts';
import { openSocket, request, until, type TestSocket } from '../support/live-app.ts';
import { postgresInstalled } from '../support/postgres-cluster.ts';
import { needsPostgres, usePostgres } from '../support/postgres-database.ts';
import { signInAsAdmin } from '../support/researcher-http.ts';
import { roleResponder } from '../support/role-responder.ts';
import type { ServedApp } from '../support/serve-process.ts';
import {
  actorEventLog,
  joinAsInvitedActor,
  openSampleStudyForPlay,
  rateAllThrees,
  replyUntilCompleted,
} from '../support/served-live-study.ts';
import { onceTakenOver, startServedNodes, storedEvents } from '../support/served-nodes.ts';
import { tempDir } from '../support/temp-files.ts';

/**
 * Two app nodes on one PostgreSQL database (docs/ARCHITECTURE.md, "Several nodes"): an actor plays on node A while a
 * researcher watches from node B; A is killed with SIGKILL mid-stream; the actor reconnects to B, which takes the
 * episode over once A's lease on it expired, and finishes. Every acknowledged reply is stored exactly once.
 */
const dir = tempDir('prefdisco-two-nodes-');
const LEASE_SECONDS = 5;
let models: FakeOpenAiServer;

beforeAll(async () => {
  models = await startFakeOpenAiServer();
  // The model under test streams each turn in 30 pieces, 20 ms apart: long enough to kill a node mid-turn.
  models.respondWith(roleResponder({ questions: 3, chunks: 30, chunkDelayMs: 20 }));
});
afterAll(async () => {
  await models.close();
});

describe.skipIf(!postgresInstalled)(needsPostgres('two app nodes on one PostgreSQL database'), () => {
  const postgres = usePostgres();
  const nodes: ServedApp[] = [];
  afterAll(async () => {
    for (const node of nodes) await node.stop('SIGKILL');
  });

  it('an actor on node A, a researcher watching from node B; A killed mid-stream; the actor finishes on B', async () => {
    const { url } = await postgres.database();
    const stored = (episodeId: string): Promise<EpisodeEvent[]> => storedEvents(url, episodeId);
    const [a, b] = (await startServedNodes(nodes, {
      databaseUrl: url,
      dir,
      leaseSeconds: LEASE_SECONDS,
      models: [models, models],
    })) as [ServedApp, ServedApp];

    // The researcher (signed in on A; sessions live in the shared database) opens the sample study for live play.
    const researcher = await signInAsAdmin(a.url);
    const studyId = await openSampleStudyForPlay(a.url, researcher);
    const actor = await joinAsInvitedActor(a.url, researcher, studyId, '5f0c1a2b3c4d5e6f7a8b9c0d');

    const seen = actorEventLog();
    const { events, questions } = seen;
    const chunks: ChunkMessage[] = [];
    const listen = (s: TestSocket): void => {
      seen.listen(s);
      s.on('episode:chunked', (c) => chunks.push(c));
    };

    let socket = await openSocket(a.url, actor);
    listen(socket);
    const snapshot = await request(socket, 'play:start', {});
    const episodeId = snapshot.episodeId;

    // The researcher watches from B: what A stores reaches B's socket through the cross-node adapter.
    const watched = new Map<number, EpisodeEvent>();
    const watcher = await openSocket(b.url, researcher);
    watcher.on('episode:logged', ({ event }) => watched.set(event.seq, event));
    for (const e of await request(watcher, 'episode:watch', { episodeId })) watched.set(e.seq, e);

    await until(() => questions().length === 1, 20_000, 'the first question');
    // While A lives, B does not run A's episode beside it: the actor's tab is told to reconnect.
    const astray = await openSocket(b.url, actor);
    await expect(request(astray, 'episode:resync', { episodeId, afterSeq: -1 })).rejects.toThrow(/episode_elsewhere/);
    astray.close();

    const acked = [
      await request(socket, 'episode:reply', { episodeId, clientMessageId: 'reply-0', text: 'I keep bees in Leeds.' }),
    ];
    expect(acked[0]?.duplicate).toBe(false);
    await until(() => watched.has(acked[0]?.seq ?? -1), 10_000, 'the reply on the watcher at B');
    await until(() => chunks.filter((c) => c.turn === 1).length >= 3, 20_000, 'the second turn streaming');

    // A dies mid-stream: no shutdown, its episode lease stays until it expires.
    expect(await a.stop('SIGKILL')).toBeNull();
    socket.close();
    const killedAt = Date.now();

    // The actor's browser reconnects and lands on B, which answers episode_elsewhere until A's lease runs out.
    socket = await openSocket(b.url, actor);
    listen(socket);
    const { result: resumed } = await onceTakenOver(() => request(socket, 'play:start', {}), 4 * LEASE_SECONDS * 1000);
    const takeoverMs = Date.now() - killedAt;
    expect(resumed.episodeId).toBe(episodeId);
    for (const e of resumed.events) events.set(e.seq, e);
    // Taken over after the lease ran out, not before (A's last renewal was at most a third of it before the kill).
    expect(takeoverMs).toBeGreaterThan((LEASE_SECONDS * 1000 * 2) / 3 - 500);
    // The reply acknowledged on A is recognised on B when the browser resends it.
    expect(
      await request(socket, 'episode:reply', { episodeId, clientMessageId: 'reply-0', text: 'I keep bees in Leeds.' }),
    ).toEqual({ seq: acked[0]?.seq, duplicate: true });

    // The actor carries on to the end on B and rates the answer.
    await replyUntilCompleted(socket, episodeId, seen, acked, (turn) => `Answer ${turn}`);
    const rated = await rateAllThrees(socket, episodeId, resumed.rubric);
    expect(rated.completionCode).toBe('C0DE-OK');
    socket.close();

    // Stored: contiguous seqs, one start, each acknowledged reply exactly once at its acknowledged seq.
    const log = await stored(episodeId);
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i));
    expect(log.filter((e) => e.type === 'episode_started')).toHaveLength(1);
    const replies = log.filter((e) => e.type === 'message' && e.kind === 'reply');
    expect(replies.map((e) => (e.type === 'message' ? e.clientMessageId : null))).toEqual(
      acked.map((_, i) => `reply-${i}`),
    );
    expect(replies.map((e) => e.seq)).toEqual(acked.map((r) => r.seq));
    expect(log.filter((e) => e.type === 'message' && e.kind === 'question' && e.regenerated)).toHaveLength(1);
    expect(log.filter((e) => e.type === 'episode_completed')).toHaveLength(1);
    // The researcher on B saw the whole episode, A's part and B's, as stored.
    await until(() => watched.has(log.at(-1)?.seq ?? -1), 10_000, 'the last event on the watcher at B');
    expect([...watched.values()].sort((x, y) => x.seq - y.seq)).toEqual(log);
    watcher.close();
    process.stdout.write(`two-nodes: episode taken over ${takeoverMs} ms after the kill (lease ${LEASE_SECONDS} s)\n`);
  }, 180_000);
});
