import { describe, expect, it } from 'vitest';
import type { LiveNode } from '../../server/services/live/episode-ownership.ts';
import type { Storage } from '../../server/storage/storage.ts';
import { request, until } from '../support/live-app.ts';
import { ActorClient } from '../support/live-actor.ts';
import { liveBench } from '../support/live-bench.ts';
import { simplePlayQueue } from '../support/simple-play-queue.ts';

/**
 * Episode ownership between two app nodes on one database, in one process (the served two-node test on PostgreSQL is
 * two-nodes.test.ts): a node that lost its lease on an episode (it stalled; here its lease is handed to the other
 * node as a takeover after expiry does) stops running it and refuses it from then on, and the node that took it over
 * resumes it from storage and finishes it, each acknowledged reply stored once.
 */
const bench = liveBench();
const LEASE_MS = 1_500;
const node = (id: string): LiveNode => ({ id, leaseMs: LEASE_MS, shared: true });
const queue = (storage: Storage, model: string): ReturnType<typeof simplePlayQueue> =>
  simplePlayQueue(storage, model, { simulatedTwin: false });

describe('a live episode owned by one node at a time', () => {
  it('the node that lost its lease stops the episode; the one that took it over finishes it', async () => {
    const file = bench.file();
    const a = await bench.start({ queue, deps: { node: node('a') } }, file);
    const b = await bench.start({ queue, deps: { node: node('b') } }, file);
    const { cookie, socket } = await bench.join(a);
    const onA = new ActorClient(socket);
    const snapshot = await request(onA.socket, 'play:start', {});
    const episodeId = snapshot.episodeId;
    for (const e of snapshot.events) onA.events.set(e.seq, e);
    await until(() => onA.questions().length === 1, 10_000, 'the first question');
    const acked = [await request(onA.socket, 'episode:reply', { episodeId, clientMessageId: 'r-0', text: 'Bees.' })];
    await until(() => onA.questions().length === 2, 10_000, 'the second question');
    expect(await a.storage.nodes.ownerOf(episodeId)).toMatchObject({ node: 'a' });

    // B never runs it beside its live owner.
    const onB = new ActorClient(await bench.connect(b, cookie));
    await expect(request(onB.socket, 'episode:resync', { episodeId, afterSeq: -1 })).rejects.toThrow(
      /episode_elsewhere/,
    );

    // A stalls past its lease and B takes the episode over (as B's claim after the lease expired would).
    expect(await b.storage.nodes.claimEpisode(episodeId, 'b', new Date(), LEASE_MS, true)).toEqual({ claimed: true });
    const resumed = await request(onB.socket, 'episode:resync', { episodeId, afterSeq: -1 });
    expect(resumed.status).toBe('running');
    for (const e of resumed.events) onB.events.set(e.seq, e);
    expect(onB.questions()).toHaveLength(2);

    // A's next renewal finds the episode gone and stops it there: A refuses it from then on.
    const refusedByA = async (): Promise<boolean> =>
      request(onA.socket, 'episode:resync', { episodeId, afterSeq: -1 }).then(
        () => false,
        (error: unknown) => String(error).includes('episode_elsewhere'),
      );
    const waited = Date.now();
    while (!(await refusedByA())) {
      if (Date.now() - waited > 4 * LEASE_MS) throw new Error('node A still runs the episode');
      await new Promise((r) => setTimeout(r, 50));
    }

    // The resend of the reply A acknowledged is recognised on B; the actor finishes there.
    expect(await request(onB.socket, 'episode:reply', { episodeId, clientMessageId: 'r-0', text: 'Bees.' })).toEqual({
      seq: acked[0]?.seq,
      duplicate: true,
    });
    const finished = (): boolean => onB.messages('final_answer').length > 0;
    while (!finished()) {
      await until(() => onB.questions().length > acked.length || finished(), 10_000, `turn ${acked.length}`);
      if (finished()) break;
      const clientMessageId = `r-${acked.length}`;
      acked.push(await request(onB.socket, 'episode:reply', { episodeId, clientMessageId, text: 'More.' }));
    }
    await until(() => onB.events.size > 0 && [...onB.events.values()].some((e) => e.type === 'episode_completed'));
    await expect.poll(async () => (await b.storage.live.get(episodeId))?.summary.status).toBe('completed');

    const log = await b.storage.live.eventsAfter(episodeId, -1);
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i));
    expect(log.filter((e) => e.type === 'episode_started')).toHaveLength(1);
    const replies = log.filter((e) => e.type === 'message' && e.kind === 'reply');
    expect(replies.map((e) => (e.type === 'message' ? e.clientMessageId : null))).toEqual(
      acked.map((_, i) => `r-${i}`),
    );
    expect(replies.map((e) => e.seq)).toEqual(acked.map((r) => r.seq));
    // Ended on B, which released its lease.
    await expect.poll(async () => b.storage.nodes.ownerOf(episodeId)).toBeNull();
  }, 60_000);
});
