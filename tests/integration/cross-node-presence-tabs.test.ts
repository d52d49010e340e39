import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.ts';
import type { Ack } from '../../shared/protocol/acks.ts';
import { LiveEpisodesResponseSchema, type ParticipantPresence } from '../../shared/schemas/api-research.ts';
import { signInResearcher } from '../support/auth-helpers.ts';
import { ActorClient } from '../support/live-actor.ts';
import { useTwoAppNodes, type AppNode } from '../support/in-process-nodes.ts';
import { joinAs, request, until } from '../support/live-app.ts';
import { postgresInstalled } from '../support/postgres-cluster.ts';
import { needsPostgres, usePostgres } from '../support/postgres-database.ts';
import { tempDir } from '../support/temp-files.ts';

/**
 * Two app nodes on one PostgreSQL database in one test process, each with its own storage pool, Socket.IO server and
 * node id: what each node knows only of its own sockets is asked of the other through the Socket.IO adapter. The live
 * monitor on node B sees an actor connected to node A, and a tab on B takes the task over from a tab on A.
 */
const dir = tempDir('prefdisco-cross-node-tabs-');
const LEASE_MS = 6_000;

describe.skipIf(!postgresInstalled)(needsPostgres('presence and tabs across two app nodes'), () => {
  const postgres = usePostgres();
  const two = useTwoAppNodes(postgres, { dir, leaseMs: LEASE_MS });
  const { nodes, socketOn } = two;

  /** A researcher of the study, signed in; sessions live in the shared database, so any node knows them. */
  async function researcherOf(node: AppNode): Promise<string> {
    const researcher = await signInResearcher({ app: node.app, storage: node.storage });
    // The first researcher account may own the sample study already (a conflict: they have a role).
    await node.storage.access
      .addMember({
        studyId: two.studyId,
        researcherId: researcher.researcherId,
        role: 'collaborator',
        addedBy: null,
        now: new Date(),
      })
      .catch((error: unknown) => {
        if (!(error instanceof AppError && error.code === 'conflict')) throw error;
      });
    return researcher.cookie;
  }

  async function presenceOn(node: AppNode, cookie: string, episodeId: string): Promise<ParticipantPresence> {
    const res = await node.app.inject({
      method: 'GET',
      url: `/api/studies/${two.studyId}/live-episodes`,
      headers: { cookie },
    });
    expect(res.statusCode, res.body).toBe(200);
    const episode = LiveEpisodesResponseSchema.parse(res.json()).episodes.find((e) => e.id === episodeId);
    if (!episode) throw new Error(`episode ${episodeId} not listed`);
    return episode.presence;
  }

  it("the monitor on node B shows an actor connected to node A as online, then as disconnected once A's socket closes", async () => {
    const [a, b] = nodes as [AppNode, AppNode];
    const researcher = await researcherOf(b);
    const actorCookie = await joinAs(a.app, a.storage, two.studyId, 'actor');
    const beforeConnect = Date.now();
    const actor = await socketOn(a, actorCookie);
    const { episodeId } = await request(actor, 'play:start', {});

    // Node B has no socket of the actor: what it shows comes from node A.
    const online = await presenceOn(b, researcher, episodeId);
    expect(online.state).toBe('online');
    expect(Date.parse(online.since ?? '')).toBeGreaterThanOrEqual(beforeConnect - 1000);
    expect(Date.parse(online.lastInputAt ?? '')).toBeGreaterThanOrEqual(Date.parse(online.since ?? ''));
    // Node A, whose socket it is, says the same.
    expect(await presenceOn(a, researcher, episodeId)).toEqual(online);

    const beforeClose = Date.now();
    actor.close();
    let gone = await presenceOn(b, researcher, episodeId);
    for (let i = 0; gone.state !== 'disconnected' && i < 100; i++) {
      await sleep(50);
      gone = await presenceOn(b, researcher, episodeId);
    }
    expect(gone.state).toBe('disconnected');
    expect(Date.parse(gone.since ?? '')).toBeGreaterThanOrEqual(beforeClose - 1000);
    expect(Date.parse(gone.lastInputAt ?? '')).toBeGreaterThanOrEqual(Date.parse(online.lastInputAt ?? ''));

    // Back on node B this time: online again, seen from node A.
    const again = await socketOn(b, actorCookie);
    await request(again, 'session:claim', { tabId: 'presence-again', takeOver: false });
    expect((await presenceOn(a, researcher, episodeId)).state).toBe('online');
  });

  it('answers a presence query too big for one NOTIFY (2,000 participants) through the adapter', async () => {
    const [a, b] = nodes as [AppNode, AppNode];
    const actor = await socketOn(a, await joinAs(a.app, a.storage, two.studyId, 'actor'));
    const { episodeId } = await request(actor, 'play:start', {});
    const participantId = (await a.storage.live.get(episodeId))?.participantId ?? '';
    const participantIds = [...Array.from({ length: 1999 }, (_, i) => `nobody-${i}-${'x'.repeat(30)}`), participantId];
    const answers = await new Promise<unknown[]>((resolve, reject) =>
      b.app.io.serverSideEmit('presence:query', { participantIds }, (err, got) => (err ? reject(err) : resolve(got))),
    );
    // One answer, node A's, with its one record: the actor's open socket.
    expect(answers).toEqual([[expect.objectContaining({ participantId, sockets: 1, disconnectedAt: null })]]);
  });

  it('a tab on node B asks, then takes the task over from a tab on node A; A is told and refused, B plays', async () => {
    const [a, b] = nodes as [AppNode, AppNode];
    const actorCookie = await joinAs(a.app, a.storage, two.studyId, 'actor');

    // Tab 1 plays on node A.
    const tab1 = await socketOn(a, actorCookie);
    const takenOver: unknown[] = [];
    tab1.on('session:taken-over', (p) => takenOver.push(p));
    expect(await request(tab1, 'session:claim', { tabId: 'tab-1', takeOver: false })).toEqual({ state: 'active' });
    const actor1 = new ActorClient(tab1);
    const snapshot = await request(tab1, 'play:start', {});
    const { episodeId } = snapshot;
    for (const e of snapshot.events) actor1.events.set(e.seq, e);
    await until(() => actor1.questions().length > 0, 10_000, 'the first question on tab 1');
    const first = await request(tab1, 'episode:reply', { episodeId, clientMessageId: 't1-0', text: 'From tab 1.' });

    // Tab 2 opens on node B: told the task is open elsewhere; nothing changes for tab 1.
    const tab2 = await socketOn(b, actorCookie);
    expect(await request(tab2, 'session:claim', { tabId: 'tab-2', takeOver: false })).toEqual({
      state: 'open_elsewhere',
    });
    await sleep(200);
    expect(takenOver).toEqual([]);

    // "Continue here" on tab 2: tab 1, on the other node, is told and refused from then on.
    expect(await request(tab2, 'session:claim', { tabId: 'tab-2', takeOver: true })).toEqual({ state: 'active' });
    await until(() => takenOver.length === 1, 5000, 'the takeover event on tab 1');
    const loose = tab1 as unknown as { timeout(ms: number): { emitWithAck(e: string, p: unknown): Promise<unknown> } };
    const stale = (await loose
      .timeout(5000)
      .emitWithAck('episode:reply', { episodeId, clientMessageId: 't1-1', text: 'from the old tab' })) as Ack<unknown>;
    expect(stale).toMatchObject({ ok: false, error: 'taken_over' });

    // Tab 2 plays the same episode on node B, with what tab 1 sent, and its reply is stored after it.
    const actor2 = new ActorClient(tab2);
    const resumed = await request(tab2, 'play:start', {});
    expect(resumed.episodeId).toBe(episodeId);
    for (const e of resumed.events) actor2.events.set(e.seq, e);
    expect(actor2.messages().flatMap((m) => (m.clientMessageId ? [m.text] : []))).toEqual(['From tab 1.']);
    await until(() => actor2.questions().length > 1, 10_000, 'the next question on tab 2');
    const second = await request(tab2, 'episode:reply', { episodeId, clientMessageId: 't2-0', text: 'From tab 2.' });
    expect(second.seq).toBeGreaterThan(first.seq);
    // Node A handed the episode over when its tab lost the task: node B owns it now.
    expect(await a.storage.nodes.ownerOf(episodeId)).toMatchObject({ node: b.id });
    const stored = await request(tab2, 'episode:resync', { episodeId, afterSeq: -1 });
    const replies = stored.events.flatMap((e) => (e.type === 'message' && e.clientMessageId ? [e.text] : []));
    expect(replies).toEqual(['From tab 1.', 'From tab 2.']);
    expect(stored.events.some((e) => e.type === 'episode_failed')).toBe(false);
  });

  it("a tab whose route moved to node B takes its task with it: A closes the tab's old socket and hands the episode over", async () => {
    const [a, b] = nodes as [AppNode, AppNode];
    const actorCookie = await joinAs(a.app, a.storage, two.studyId, 'actor');
    const before = await socketOn(a, actorCookie);
    const closed = new Promise<string>((resolve) => before.once('disconnect', (reason) => resolve(reason)));
    expect(await request(before, 'session:claim', { tabId: 'moving-tab', takeOver: false })).toEqual({
      state: 'active',
    });
    const { episodeId } = await request(before, 'play:start', {});
    expect(await a.storage.nodes.ownerOf(episodeId)).toMatchObject({ node: a.id });

    // The same page reconnects through node B (its old socket not yet noticed dropping on A): no question asked.
    const after = await socketOn(b, actorCookie);
    expect(await request(after, 'session:claim', { tabId: 'moving-tab', takeOver: false })).toEqual({
      state: 'active',
    });
    expect(await closed).toBe('io server disconnect');
    const resumed = await request(after, 'play:start', {});
    expect(resumed.episodeId).toBe(episodeId);
    expect(await b.storage.nodes.ownerOf(episodeId)).toMatchObject({ node: b.id });
  });
});
