import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Storage } from '../../server/storage/storage.ts';
import { runningEpisodeSummary } from '../support/episode-summary.ts';
import { completedEvent, messageEvent } from '../support/episode-events.ts';

/** What this contract uses of a storage. */
export type LiveFencingStorage = Pick<Storage, 'live' | 'nodes' | 'people' | 'createStudy' | 'close'>;

const LEASE_MS = 60_000;
const ended = { status: 'completed', weightedScore: 2, correct: 1, interactionTurns: 1, failure: null } as const;

/**
 * Fencing of live-episode writes (several nodes on one database): `appendOwned` and `finish` with an owner store only
 * while the episode's owner row (node-storage.ts) names that node, checked with the write, and a refused write stores
 * nothing. Run by liveStorageContract on every engine.
 */
export function liveFencingContract(name: string, open: () => Promise<LiveFencingStorage>): void {
  describe(`LiveEpisodeStorage fencing: ${name}`, () => {
    let storage: LiveFencingStorage;
    beforeEach(async () => {
      storage = await open();
    });
    afterEach(async () => {
      await storage.close();
    });

    /** A running live episode owned by `owner` (none: no owner row). */
    async function owned(id: string, owner: string | null): Promise<void> {
      const study = await storage.createStudy({ name: `Fencing ${id}` });
      const { participant } = await storage.people.findOrCreateParticipant({
        studyId: study.id,
        role: 'actor',
        prolific: {},
      });
      await storage.live.begin({
        summary: runningEpisodeSummary(id, { userSeat: 'person' }),
        studyId: study.id,
        participantId: participant.id,
        assignmentId: null,
        spec: {},
      });
      if (owner) expect(await storage.nodes.claimEpisode(id, owner, new Date(), LEASE_MS)).toEqual({ claimed: true });
    }

    it("appendOwned stores a group of events in order while the node owns the episode, each with append's result", async () => {
      await owned('live-1', 'node-a');
      const group = [
        messageEvent(0, { kind: 'opening', role: 'user' }),
        messageEvent(1, { clientMessageId: 'c-1' }),
        messageEvent(2, { role: 'assistant', kind: 'question' }),
      ];
      expect(await storage.live.appendOwned('live-1', group, 'node-a')).toEqual({
        stored: true,
        results: [
          { seq: 0, duplicate: false },
          { seq: 1, duplicate: false },
          { seq: 2, duplicate: false },
        ],
      });
      // A resend of a stored reply in a later group keeps the first seq and is not stored again.
      const resend = messageEvent(3, { clientMessageId: 'c-1', content: 'resent' });
      expect(await storage.live.appendOwned('live-1', [resend, messageEvent(3)], 'node-a')).toEqual({
        stored: true,
        results: [
          { seq: 1, duplicate: true },
          { seq: 3, duplicate: false },
        ],
      });
      expect(await storage.live.eventsAfter('live-1', -1)).toEqual([...group, messageEvent(3)]);
      expect(await storage.live.findClientMessage('live-1', 'c-1')).toBe(1);
    });

    it('after another node took the episode over, the old owner appends and finishes nothing', async () => {
      await owned('live-1', 'node-a');
      const first = messageEvent(0, { kind: 'opening', role: 'user' });
      await storage.live.appendOwned('live-1', [first], 'node-a');
      // Node A stalled past its lease: node B takes the episode over (as its claim after the expiry does).
      expect(await storage.nodes.claimEpisode('live-1', 'node-b', new Date(), LEASE_MS, true)).toEqual({
        claimed: true,
      });
      const late = [messageEvent(1, { clientMessageId: 'c-late' }), messageEvent(2)];
      expect(await storage.live.appendOwned('live-1', late, 'node-a')).toEqual({ stored: false, reason: 'not_owner' });
      expect(await storage.live.finish('live-1', ended, 'node-a')).toEqual({ stored: false, reason: 'not_owner' });
      // Nothing of the refused writes is stored: no events, no client id, still running.
      expect(await storage.live.eventsAfter('live-1', -1)).toEqual([first]);
      expect(await storage.live.findClientMessage('live-1', 'c-late')).toBeNull();
      expect((await storage.live.get('live-1'))?.summary.status).toBe('running');
      // The new owner writes the same seqs.
      expect(await storage.live.appendOwned('live-1', [messageEvent(1), completedEvent(2)], 'node-b')).toMatchObject({
        stored: true,
      });
      expect(await storage.live.finish('live-1', ended, 'node-b')).toEqual({ stored: true });
      expect((await storage.live.get('live-1'))?.summary.status).toBe('completed');
      expect((await storage.live.eventsAfter('live-1', -1)).map((e) => e.seq)).toEqual([0, 1, 2]);
    });

    it('an episode no node owns (released, or never claimed) refuses owned writes; unowned ones still store', async () => {
      await owned('live-1', 'node-a');
      await storage.nodes.releaseEpisode('live-1', 'node-a');
      expect(await storage.live.appendOwned('live-1', [messageEvent(0)], 'node-a')).toEqual({
        stored: false,
        reason: 'not_owner',
      });
      await owned('live-2', null);
      expect(await storage.live.appendOwned('live-2', [messageEvent(0)], 'node-a')).toEqual({
        stored: false,
        reason: 'not_owner',
      });
      expect(await storage.live.finish('live-2', ended, 'node-a')).toEqual({ stored: false, reason: 'not_owner' });
      expect(await storage.live.eventsAfter('live-1', -1)).toEqual([]);
      // Without an owner (a twin, an event after the end) nothing is checked.
      expect(await storage.live.append('live-2', messageEvent(0))).toEqual({ seq: 0, duplicate: false });
      expect(await storage.live.finish('live-2', ended)).toEqual({ stored: true });
    });

    it('a group with a taken seq is a conflict that stores none of its events', async () => {
      await owned('live-1', 'node-a');
      await storage.live.appendOwned('live-1', [messageEvent(0)], 'node-a');
      const group = [messageEvent(1, { clientMessageId: 'c-1' }), messageEvent(0, { content: 'taken' })];
      await expect(storage.live.appendOwned('live-1', group, 'node-a')).rejects.toMatchObject({ code: 'conflict' });
      expect(await storage.live.eventsAfter('live-1', -1)).toEqual([messageEvent(0)]);
      expect(await storage.live.findClientMessage('live-1', 'c-1')).toBeNull();
    });
  });
}
