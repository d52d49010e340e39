import { afterEach, describe, expect, it } from 'vitest';
import type { Storage } from '../../server/storage/storage.ts';
import { runningEpisodeSummary } from '../support/episode-summary.ts';

/** What this contract uses of a storage. */
export type TwinContractStorage = Pick<Storage, 'live' | 'createStudy' | 'getEpisode' | 'close'>;

const summary = runningEpisodeSummary;

/**
 * The simulated twin of a live episode, seen from two connections to one database (the server's loop and its
 * research worker both may ask for it). Run it from one test file per implementation.
 */
export function twinStorageContract(
  name: string,
  openPair: () => Promise<[TwinContractStorage, TwinContractStorage]>,
): void {
  describe(`the simulated twin of a live episode in storage: ${name}`, () => {
    const open: TwinContractStorage[] = [];
    afterEach(async () => {
      for (const s of open.splice(0)) await s.close();
    });

    it('beginTwin creates one running twin per live episode, linked, whichever of two connections asks', async () => {
      const [a, b] = await openPair();
      open.push(a, b);
      const study = await a.createStudy({ name: 'Twins' });
      await a.live.begin({
        summary: summary('live-1', { userSeat: 'person' }),
        studyId: study.id,
        participantId: 'p-1',
        assignmentId: null,
        spec: {},
      });
      const [first, second] = await Promise.all([
        a.live.beginTwin('live-1', summary('twin-a')),
        b.live.beginTwin('live-1', summary('twin-b')),
      ]);
      expect([first.created, second.created].sort()).toEqual([false, true]);
      const made = first.created ? first.twin : second.twin;
      expect((first.created ? second : first).twin).toMatchObject({ id: made.id, status: 'running' });
      expect(await a.live.twinsOf('live-1')).toEqual([made.id]);

      // Its events go through append one by one, its end through finish; asked again, it is returned as it is now.
      await b.live.append(made.id, {
        type: 'message',
        role: 'user',
        kind: 'opening',
        turn: 0,
        content: 'Hello',
        seq: 0,
        at: new Date().toISOString(),
      });
      await b.live.finish(made.id, {
        status: 'completed',
        weightedScore: 4,
        correct: 1,
        interactionTurns: 0,
        failure: null,
      });
      const again = await a.live.beginTwin('live-1', summary('twin-c'));
      expect(again).toMatchObject({ created: false, twin: { id: made.id, status: 'completed', weightedScore: 4 } });
      expect(await a.live.eventsAfter(made.id, -1)).toHaveLength(1);
      expect(await a.getEpisode('twin-c')).toBeNull();
      // The twin is not a live episode itself (it has no person).
      expect(await a.live.get(made.id)).toBeNull();
      expect(await a.live.sourceParticipantOf(made.id)).toBeNull();
    });
  });
}
