import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Storage } from '../../server/storage/storage.ts';
import type { NewRatingCandidate } from '../../server/storage/study-work-storage.ts';
import { runningEpisodeSummary } from '../support/episode-summary.ts';
import { messageEvent } from '../support/episode-events.ts';
import { NEVER_GOLD, SCORES, T0, minutesAfter, settings, studyWithRecords } from '../support/study-work-fixtures.ts';

const KEY = 'pid-key';

/**
 * The behaviour every ParticipantDeletionStorage (`storage.deletions`) must have, read back through the rest of the
 * Storage interface: what a deletion removes and counts, the minimal record it keeps, and the retention purge's reads.
 * (tests/integration/participant-deletion.test.ts also checks the SQLite file itself, row by row.)
 */
export function participantDeletionContract(name: string, open: () => Promise<Storage>): void {
  describe(`ParticipantDeletionStorage contract: ${name}`, () => {
    let storage: Storage;
    beforeEach(async () => {
      storage = await open();
    });
    afterEach(async () => {
      await storage.close();
    });

    async function join(studyId: string, role: 'actor' | 'rater', pid?: string): Promise<string> {
      const prolific = pid === undefined ? {} : { prolificPid: pid, prolificStudyId: 'ps', prolificSessionId: 'ss' };
      return (await storage.people.findOrCreateParticipant({ studyId, role, prolific })).participant.id;
    }

    async function session(tokenHash: string, subjectId: string): Promise<void> {
      await storage.people.createSession({
        tokenHash,
        kind: 'participant',
        subjectId,
        createdAt: T0.toISOString(),
        expiresAt: minutesAfter(T0, 60 * 24 * 365 * 100).toISOString(),
      });
    }

    /** A live episode of the actor with one reply (and its client id), its twin, and an answer queued for rating. */
    async function played(studyId: string, actor: string, id: string, problemId: string): Promise<NewRatingCandidate> {
      await storage.live.begin({
        summary: runningEpisodeSummary(id, { userSeat: 'person', problemId }),
        studyId,
        participantId: actor,
        assignmentId: null,
        spec: {},
      });
      await storage.live.append(id, messageEvent(0, { clientMessageId: `client-${id}` }));
      await storage.live.finish(id, {
        status: 'completed',
        weightedScore: 3,
        correct: 1,
        interactionTurns: 1,
        failure: null,
      });
      await storage.live.saveTwin(id, { ...runningEpisodeSummary(`twin-${id}`), status: 'completed' }, [
        messageEvent(0),
      ]);
      return {
        problemId,
        sourceEpisodeId: id,
        sourceParticipantId: actor,
        answer: `answer of ${id}`,
        transcript: null,
        gold: null,
      };
    }

    it('deletes an actor with their episodes, twins, ratings of their answers, outcome, consent and sessions', async () => {
      const { studyId, problemIds } = await studyWithRecords(storage, 'Withdrawal', 2);
      const [p0 = '', p1 = ''] = problemIds;
      const gone = await join(studyId, 'actor', 'pid-gone');
      const kept = await join(studyId, 'actor', 'pid-kept');
      const rater = await join(studyId, 'rater');
      await session('token-gone', gone);
      await session('token-kept', kept);
      await storage.work.saveSettings(studyId, settings({ raterOverlap: 1 }), T0);
      const candidates = [await played(studyId, gone, 'gone-1', p0), await played(studyId, kept, 'kept-1', p1)];
      await storage.work.addRatingCandidates(studyId, candidates, T0);
      for (let i = 0; i < 2; i++) {
        const claim = await storage.work.leaseNextRating(studyId, rater, T0, NEVER_GOLD);
        if (claim.kind !== 'leased') throw new Error(`expected a rating lease, got ${claim.reason}`);
        const { itemId } = claim.lease;
        const rating = {
          studyId,
          participantId: rater,
          itemId,
          scores: SCORES,
          correct: 1 as const,
          justification: '',
        };
        await storage.work.submitRating({ ...rating, secondsSpent: 5, attentionPassed: null, now: T0 });
      }
      await storage.work.recordOutcome({
        studyId,
        participantId: gone,
        outcome: 'completed',
        completionCode: 'C',
        now: T0,
      });
      await storage.consent.recordDecision({
        participantId: gone,
        studyId,
        role: 'actor',
        language: 'en',
        text: 'Consent text',
        sha256: 'c'.repeat(64),
        decision: 'agreed',
        now: T0,
      });

      const deleted = await storage.deletions.deleteParticipant(gone, {
        by: { researcherId: 'researcher-1' },
        pidKey: KEY,
        now: minutesAfter(T0, 5),
      });
      expect(deleted).toEqual({ studyId, episodes: 1, twins: 1, ratings: 1, sessionTokenHashes: ['token-gone'] });

      expect(await storage.people.getParticipant(gone)).toBeNull();
      expect(await storage.people.findValidSession('token-gone', T0)).toBeNull();
      expect(await storage.getEpisode('gone-1')).toBeNull();
      expect(await storage.getEpisode('twin-gone-1')).toBeNull();
      expect(await storage.live.findClientMessage('gone-1', 'client-gone-1')).toBeNull();
      expect(await storage.work.getOutcome(gone)).toBeNull();
      expect(await storage.consent.getDecision(gone)).toBeNull();
      expect(await storage.deletions.findParticipantIdByProlificPid(studyId, 'pid-gone')).toBeNull();
      expect((await storage.work.listRatings(studyId)).map((r) => r.sourceEpisodeId)).toEqual(['kept-1']);
      // The other actor keeps everything.
      expect((await storage.people.findValidSession('token-kept', T0))?.subjectId).toBe(kept);
      expect(await storage.live.twinsOf('kept-1')).toEqual(['twin-kept-1']);
      expect((await storage.deletions.listParticipantIds(studyId)).sort()).toEqual([kept, rater].sort());

      const [record] = await storage.deletions.listDeletions(studyId);
      expect(record).toMatchObject({ studyId, role: 'actor', deletedAt: minutesAfter(T0, 5).toISOString() });
      expect(record?.deletedBy).toBe('researcher-1');
      expect(record?.prolificPidHmac).toEqual(expect.any(String));
      expect(record?.prolificPidHmac).not.toContain('pid-gone');

      // A rater's deletion takes the ratings they gave.
      expect(await storage.deletions.deleteParticipant(rater, { by: 'participant', pidKey: KEY })).toMatchObject({
        ratings: 1,
        episodes: 0,
        twins: 0,
        sessionTokenHashes: [],
      });
      expect(await storage.work.listRatings(studyId)).toEqual([]);
      expect((await storage.deletions.listDeletions(studyId)).map((d) => [d.role, d.deletedBy]).sort()).toEqual([
        ['actor', 'researcher-1'],
        ['rater', 'participant'],
      ]);
    });

    it('keeps a keyed hash of the Prolific id that matches the same id again; unknown participants are not_found', async () => {
      const a = await studyWithRecords(storage, 'A', 1);
      const b = await studyWithRecords(storage, 'B', 1);
      const inA = await join(a.studyId, 'actor', 'pid-same');
      const inB = await join(b.studyId, 'actor', 'pid-same');
      const other = await join(b.studyId, 'actor', 'pid-other');
      const anonymous = await join(b.studyId, 'rater');
      expect(await storage.deletions.findParticipantIdByProlificPid(b.studyId, 'pid-same')).toBe(inB);
      expect(await storage.deletions.findParticipantIdByProlificPid(b.studyId, 'pid-none')).toBeNull();
      for (const id of [inA, inB, other, anonymous]) {
        await storage.deletions.deleteParticipant(id, { by: 'retention', pidKey: KEY });
      }
      const [recordA] = await storage.deletions.listDeletions(a.studyId);
      const hashes = (await storage.deletions.listDeletions(b.studyId)).map((d) => d.prolificPidHmac);
      expect(hashes).toHaveLength(3);
      expect(hashes).toContain(recordA?.prolificPidHmac);
      expect(hashes).toContain(null);
      expect(new Set(hashes).size).toBe(3);
      expect(recordA?.deletedBy).toBe('retention');
      await expect(storage.deletions.deleteParticipant(inA, { by: 'retention', pidKey: KEY })).rejects.toMatchObject({
        code: 'not_found',
      });
      expect(await storage.deletions.listDeletions(a.studyId)).toHaveLength(1);
      expect(await storage.deletions.listParticipantIds(b.studyId)).toEqual([]);
    });

    it('lists closed studies with the last time their settings were stored closed', async () => {
      const openStudy = await studyWithRecords(storage, 'Open', 1);
      const closed = await studyWithRecords(storage, 'Closed', 1);
      await storage.work.saveSettings(openStudy.studyId, settings({ status: 'open' }), T0);
      await storage.work.saveSettings(closed.studyId, settings({ status: 'closed' }), minutesAfter(T0, 1));
      expect(await storage.deletions.listClosedStudies()).toEqual([
        { studyId: closed.studyId, closedAt: minutesAfter(T0, 1).toISOString() },
      ]);
      await storage.work.saveSettings(
        closed.studyId,
        settings({ status: 'closed', raterOverlap: 2 }),
        minutesAfter(T0, 9),
      );
      expect(await storage.deletions.listClosedStudies()).toEqual([
        { studyId: closed.studyId, closedAt: minutesAfter(T0, 9).toISOString() },
      ]);
      // Reopened, it is no longer closed.
      await storage.work.saveSettings(closed.studyId, settings({ status: 'open' }), minutesAfter(T0, 10));
      expect(await storage.deletions.listClosedStudies()).toEqual([]);
    });
  });
}
