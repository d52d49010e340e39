import { afterEach, describe, expect, it } from 'vitest';
import type { Storage } from '../../server/storage/storage.ts';
import { runningEpisodeSummary } from '../support/episode-summary.ts';

const t0 = new Date('2026-01-01T00:00:00.000Z');
const later = (ms: number): Date => new Date(t0.getTime() + ms);

/** What this contract uses of a storage. */
export type NodeContractStorage = Pick<Storage, 'nodes' | 'live' | 'people' | 'createStudy' | 'close'>;

/**
 * The behaviour every `Storage.nodes` implementation must have, seen from two connections (two server processes):
 * node leases, and one owner per live episode that another node takes over only once the owner's lease expired.
 * `openPair` gives two connections to one new database.
 */
export function nodeStorageContract(
  name: string,
  openPair: () => Promise<[NodeContractStorage, NodeContractStorage]>,
): void {
  describe(`node storage: ${name}`, () => {
    const open: NodeContractStorage[] = [];
    afterEach(async () => {
      for (const s of open.splice(0)) await s.close();
    });
    const twoConnections = async (): Promise<[NodeContractStorage, NodeContractStorage]> => {
      const pair = await openPair();
      open.push(...pair);
      return pair;
    };

    /** A running live episode of a new actor, as live play begins one. */
    async function liveEpisode(storage: NodeContractStorage, id: string): Promise<void> {
      const study = (await storage.createStudy({ name: `Study ${id}` })).id;
      const { participant } = await storage.people.findOrCreateParticipant({
        studyId: study,
        role: 'actor',
        prolific: {},
      });
      await storage.live.begin({
        summary: runningEpisodeSummary(id, { userSeat: 'person' }),
        studyId: study,
        participantId: participant.id,
        assignmentId: null,
        spec: {},
      });
    }

    it('nodes renew their own leases; an expired one is no longer live, and leaving removes it', async () => {
      const [a, b] = await twoConnections();
      await a.nodes.heartbeat({ node: 'a', host: 'h1', pid: 1, startedAt: t0.toISOString() }, t0, 10_000);
      await b.nodes.heartbeat({ node: 'b', host: 'h2', pid: 2, startedAt: later(1).toISOString() }, t0, 5_000);
      expect((await a.nodes.liveNodes(later(4_999))).map((n) => n.node)).toEqual(['a', 'b']);
      expect(await b.nodes.liveNodes(later(5_000))).toEqual([
        { node: 'a', host: 'h1', pid: 1, startedAt: t0.toISOString(), expiresAt: '2026-01-01T00:00:10.000Z' },
      ]);
      // A renewal keeps the node's start time and extends its expiry.
      await b.nodes.heartbeat(
        { node: 'b', host: 'h2', pid: 2, startedAt: later(9).toISOString() },
        later(6_000),
        5_000,
      );
      expect(await a.nodes.liveNodes(later(10_500))).toEqual([
        { node: 'b', host: 'h2', pid: 2, startedAt: later(1).toISOString(), expiresAt: '2026-01-01T00:00:11.000Z' },
      ]);
      await b.nodes.leave('b');
      expect(await a.nodes.liveNodes(later(10_500))).toEqual([]);
    });

    it('pruning removes only nodes expired before the cut-off, with their expired episode leases', async () => {
      const [a, b] = await twoConnections();
      for (const id of ['ep-1', 'ep-2', 'ep-3', 'ep-4']) await liveEpisode(a, id);
      const node = (id: string, at: Date) => ({ node: id, host: 'h', pid: 1, startedAt: at.toISOString() });
      // 'old' expired at 1 s, 'recent' at 50 s, 'live' renews and expires at 106 s.
      await a.nodes.heartbeat(node('old', t0), t0, 1_000);
      await a.nodes.heartbeat(node('recent', t0), t0, 50_000);
      await b.nodes.heartbeat(node('live', t0), later(100_000), 6_000);
      await a.nodes.claimEpisode('ep-1', 'old', t0, 1_000);
      await a.nodes.claimEpisode('ep-2', 'recent', t0, 50_000);
      await b.nodes.claimEpisode('ep-3', 'live', later(100_000), 6_000);
      // An episode lease the live node let lapse long ago (it ended there without a release) stays its own business.
      await b.nodes.claimEpisode('ep-4', 'live', t0, 1_000);

      // At 100 s, pruning what expired by 10 s: only 'old' and its episode lease go.
      expect(await b.nodes.prune(later(100_000), later(10_000))).toEqual(['old']);
      expect((await a.nodes.liveNodes(t0)).map((n) => n.node)).toEqual(['live', 'recent']);
      expect(await a.nodes.ownerOf('ep-1')).toBeNull();
      expect(await a.nodes.ownerOf('ep-2')).toMatchObject({ node: 'recent' });
      expect(await a.nodes.ownerOf('ep-3')).toMatchObject({ node: 'live' });
      expect(await a.nodes.ownerOf('ep-4')).toMatchObject({ node: 'live' });
      // Again: nothing left to prune; a later cut-off takes 'recent' and its lease, never the live node.
      expect(await a.nodes.prune(later(100_000), later(10_000))).toEqual([]);
      expect(await a.nodes.prune(later(105_999), later(105_999))).toEqual(['recent']);
      expect(await b.nodes.ownerOf('ep-2')).toBeNull();
      expect((await b.nodes.liveNodes(t0)).map((n) => n.node)).toEqual(['live']);
      expect(await b.nodes.ownerOf('ep-3')).toMatchObject({ node: 'live' });
      // A pruned node that was only stalled records itself again at its next renewal.
      await a.nodes.heartbeat(node('old', t0), later(106_000), 6_000);
      expect((await b.nodes.liveNodes(later(106_000))).map((n) => n.node)).toEqual(['old']);
    });

    it('a live episode has one owner; another node takes it over only once the lease expired', async () => {
      const [a, b] = await twoConnections();
      await liveEpisode(a, 'ep-1');
      expect(await a.nodes.claimEpisode('ep-1', 'a', t0, 6_000)).toEqual({ claimed: true });
      expect(await b.nodes.claimEpisode('ep-1', 'b', later(5_999), 6_000)).toEqual({
        claimed: false,
        owner: 'a',
        expiresAt: '2026-01-01T00:00:06.000Z',
      });
      // The owner claiming again extends its own lease.
      expect(await a.nodes.claimEpisode('ep-1', 'a', later(3_000), 6_000)).toEqual({ claimed: true });
      expect(await b.nodes.claimEpisode('ep-1', 'b', later(8_999), 6_000)).toMatchObject({ claimed: false });
      expect(await b.nodes.claimEpisode('ep-1', 'b', later(9_000), 6_000)).toEqual({ claimed: true });
      expect(await a.nodes.ownerOf('ep-1')).toEqual({ node: 'b', expiresAt: '2026-01-01T00:00:15.000Z' });
      // The old owner's renewal no longer names the episode: it knows to stop running it.
      expect(await a.nodes.renewEpisodes('a', later(9_001), 6_000)).toEqual([]);
      // Forced (the one SQLite server resuming its own earlier process's episodes): taken despite the lease.
      expect(await a.nodes.claimEpisode('ep-1', 'a', later(9_002), 6_000, true)).toEqual({ claimed: true });
      expect(await b.nodes.ownerOf('ep-1')).toMatchObject({ node: 'a' });
    });

    it("renewal extends all of a node's episodes in one call; release and leave give them up", async () => {
      const [a, b] = await twoConnections();
      for (const id of ['ep-1', 'ep-2', 'ep-3']) await liveEpisode(a, id);
      await a.nodes.claimEpisode('ep-1', 'a', t0, 6_000);
      await a.nodes.claimEpisode('ep-2', 'a', t0, 6_000);
      await b.nodes.claimEpisode('ep-3', 'b', t0, 6_000);
      expect((await a.nodes.renewEpisodes('a', later(5_000), 6_000)).sort()).toEqual(['ep-1', 'ep-2']);
      expect(await b.nodes.ownerOf('ep-2')).toEqual({ node: 'a', expiresAt: '2026-01-01T00:00:11.000Z' });
      // Renewed: still owned past the first expiry.
      expect(await b.nodes.claimEpisode('ep-2', 'b', later(10_999), 6_000)).toMatchObject({ claimed: false });
      // A release by a node that does not own the episode changes nothing.
      await b.nodes.releaseEpisode('ep-1', 'b');
      expect(await b.nodes.ownerOf('ep-1')).toMatchObject({ node: 'a' });
      await a.nodes.releaseEpisode('ep-1', 'a');
      expect(await b.nodes.ownerOf('ep-1')).toBeNull();
      expect(await b.nodes.claimEpisode('ep-1', 'b', later(5_001), 6_000)).toEqual({ claimed: true });
      await a.nodes.leave('a');
      expect(await b.nodes.ownerOf('ep-2')).toBeNull();
      expect((await b.nodes.renewEpisodes('b', later(5_002), 6_000)).sort()).toEqual(['ep-1', 'ep-3']);
    });

    it('two nodes claiming one expired episode at once: exactly one gets it', async () => {
      const [a, b] = await twoConnections();
      await liveEpisode(a, 'ep-1');
      await a.nodes.claimEpisode('ep-1', 'dead', t0, 1_000);
      const claims = await Promise.all([
        a.nodes.claimEpisode('ep-1', 'a', later(2_000), 6_000),
        b.nodes.claimEpisode('ep-1', 'b', later(2_000), 6_000),
      ]);
      expect(claims.filter((c) => c.claimed)).toHaveLength(1);
      const owner = await a.nodes.ownerOf('ep-1');
      expect(claims[owner?.node === 'a' ? 1 : 0]).toEqual({
        claimed: false,
        owner: owner?.node,
        expiresAt: '2026-01-01T00:00:08.000Z',
      });
    });
  });
}
