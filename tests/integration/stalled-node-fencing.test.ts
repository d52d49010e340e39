import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { EpisodeEvent } from '../../shared/schemas/episode.ts';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fake-openai-server.ts';
import { openSocket, request, until } from '../support/live-app.ts';
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
 * Fencing of live-episode writes (docs/scaling.md, "Several app nodes"): node A stalls (SIGSTOP) while an episode it
 * owns waits for the actor; B takes the episode over once A's lease ran out and the actor goes on there. A wakes
 * (SIGCONT) past the actor's idle deadline: its overdue idle timer fires in the same timer phase as its overdue lease
 * renewal, so A appends the idle-timeout failure before it can learn that it lost the episode. Without fencing that
 * event lands at the seq B stores the actor's next reply at (the reply is then never stored, the episode ends as
 * failed); with it, A's write is refused, A stops the episode and answers `episode_elsewhere`, and the stored log is
 * exactly what B served.
 */
const dir = tempDir('prefdisco-fencing-');
const LEASE_SECONDS = 2;
const IDLE_SECONDS = 30;
let modelsA: FakeOpenAiServer;
let modelsB: FakeOpenAiServer;

beforeAll(async () => {
  modelsA = await startFakeOpenAiServer();
  modelsB = await startFakeOpenAiServer();
  modelsA.respondWith(roleResponder({ questions: 2 }));
  // B's model under test marks its turns, so the stored log shows which node wrote each.
  const base = roleResponder({ questions: 2 });
  modelsB.respondWith((body) => {
    const reply = base(body);
    return reply.kind === 'text'
      ? { ...reply, text: reply.text.replace('###RESPONSE###: ', '###RESPONSE###: [B] ') }
      : reply;
  });
});
afterAll(async () => {
  await modelsA.close();
  await modelsB.close();
});

describe.skipIf(!postgresInstalled)(needsPostgres('a stalled node cannot write to the episode it lost'), () => {
  const postgres = usePostgres();
  const nodes: ServedApp[] = [];
  afterAll(async () => {
    for (const node of nodes) {
      process.kill(node.pid, 'SIGCONT');
      await node.stop('SIGKILL');
    }
  });

  it('node A stopped past its lease, B takes over, A resumes: nothing A stores lands; the log is what B served', async () => {
    // What each node logged is what explains a failure here (which node refused or lost what, and when).
    onTestFailed(() => {
      for (const [name, node] of [
        ['A', nodes[0]],
        ['B', nodes[1]],
      ] as const)
        process.stderr.write(`--- node ${name}'s log (last 6,000 characters)\n${node?.output().slice(-6000) ?? ''}\n`);
    });
    const { url } = await postgres.database();
    const stored = (episodeId: string): Promise<EpisodeEvent[]> => storedEvents(url, episodeId);
    const statusOf = async (episodeId: string): Promise<string | undefined> => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const { rows } = await client.query<{ status: string }>('SELECT status FROM episodes WHERE id = $1', [
          episodeId,
        ]);
        return rows[0]?.status;
      } finally {
        await client.end();
      }
    };
    const [a, b] = (await startServedNodes(nodes, {
      databaseUrl: url,
      dir,
      leaseSeconds: LEASE_SECONDS,
      models: [modelsA, modelsB],
    })) as [ServedApp, ServedApp];

    const researcher = await signInAsAdmin(a.url);
    const studyId = await openSampleStudyForPlay(a.url, researcher, {
      idleTimeoutSeconds: IDLE_SECONDS,
      idleWarningSeconds: 10,
    });
    const actor = await joinAsInvitedActor(a.url, researcher, studyId, '5f0c1a2b3c4d5e6f7a8b9c0e');

    const seen = actorEventLog();
    const { events, listen, questions } = seen;

    let socket = await openSocket(a.url, actor);
    listen(socket);
    const snapshot = await request(socket, 'play:start', {});
    const episodeId = snapshot.episodeId;
    for (const e of snapshot.events) events.set(e.seq, e);
    await until(() => questions().length === 1, 20_000, 'the first question');
    // A idles until the actor answers: the question stored, and the twin reply A makes beside it (until then A has
    // writes of its own under way). Its idle timer started when it stored the question, before the actor saw it.
    const idleDeadline = Date.now() + IDLE_SECONDS * 1000;
    await expect
      .poll(async () => (await stored(episodeId)).some((e) => e.type === 'twin_reply'), { timeout: 20_000 })
      .toBe(true);
    const beforeStall = await stored(episodeId);

    // A stalls (a long GC pause, a frozen VM): no timers, no I/O, its leases run out.
    process.kill(a.pid, 'SIGSTOP');
    socket.close();

    // The actor's browser reconnects to B, which takes the episode over once A's lease ran out.
    socket = await openSocket(b.url, actor);
    listen(socket);
    const { result: resumed } = await onceTakenOver(() => request(socket, 'play:start', {}), 6 * LEASE_SECONDS * 1000);
    expect(resumed.episodeId).toBe(episodeId);
    for (const e of resumed.events) events.set(e.seq, e);
    // B resumed from what A had stored and stored nothing itself yet: the next seq is the actor's reply's.
    expect(await stored(episodeId)).toEqual(beforeStall);
    const takenOverAt = beforeStall.at(-1)?.seq ?? -1;

    // A wakes after the actor's idle deadline: its idle timer and its lease renewal are both overdue.
    while (Date.now() < idleDeadline + 1_000) await new Promise((r) => setTimeout(r, 200));
    process.kill(a.pid, 'SIGCONT');
    await until(() => a.output().includes('another server took this live episode over'), 15_000, 'A stopping it');
    // A refuses the episode from now on: the browser is sent to its owner.
    const astray = await openSocket(a.url, actor);
    await expect(request(astray, 'episode:resync', { episodeId, afterSeq: -1 })).rejects.toThrow(/episode_elsewhere/);
    astray.close();

    // The actor plays on B to the end: each reply is stored (not at a seq A took) and acknowledged.
    const acked: { seq: number; duplicate: boolean }[] = [];
    await replyUntilCompleted(socket, episodeId, seen, acked, () => 'Short, please.');
    const rated = await rateAllThrees(socket, episodeId, resumed.rubric);
    expect(rated.completionCode).toBe('C0DE-OK');
    socket.close();

    const log = await stored(episodeId);
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i));
    // Nothing of A's after the takeover: no idle timeout, no failure, every model turn after it is B's.
    expect(log.filter((e) => e.type === 'episode_failed')).toEqual([]);
    expect(log.filter((e) => e.type === 'episode_completed')).toHaveLength(1);
    const modelTurnsAfter = log.filter((e) => e.seq > takenOverAt && e.type === 'message' && e.role === 'assistant');
    expect(modelTurnsAfter.length).toBeGreaterThan(0);
    const notB = modelTurnsAfter.flatMap((e) => (e.type === 'message' && !e.content.includes('[B] ') ? [e] : []));
    expect(notB).toEqual([]);
    // Up to the takeover, what A stored; after it, only what B stored.
    expect(log.slice(0, beforeStall.length)).toEqual(beforeStall);
    // Each acknowledged reply stored once at its acknowledged seq, and nothing else from the person.
    const replies = log.filter((e) => e.type === 'message' && e.kind === 'reply');
    expect(replies.map((e) => e.seq)).toEqual(acked.map((r) => r.seq));
    expect(acked.every((r) => !r.duplicate)).toBe(true);
    // The episode's end is stored as completed (by B: A's end would have been the idle failure).
    await expect.poll(() => statusOf(episodeId), { timeout: 10_000 }).toBe('completed');
    const how = a.output().includes('storing refused') ? 'a refused write' : 'its lease renewal';
    process.stdout.write(`stalled-node-fencing: A learnt of the takeover through ${how}\n`);
  }, 180_000);
});
