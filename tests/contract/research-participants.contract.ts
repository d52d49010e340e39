import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EpisodeStatus } from '../../server/storage/episode-storage.ts';
import type { StudyParticipant } from '../../server/storage/research-storage.ts';
import type { Storage } from '../../server/storage/storage.ts';
import type { RatingLease } from '../../server/storage/study-work-storage.ts';
import { runningEpisodeSummary } from '../support/episode-summary.ts';
import { actorRatedEvent, completedEvent, failedEvent, messageEvent } from '../support/episode-events.ts';
import {
  NEVER_GOLD,
  SCORES,
  T0,
  episodeCandidates,
  minutesAfter,
  settings,
  studyWithRecords,
} from '../support/study-work-fixtures.ts';

const at = (minutes: number): string => minutesAfter(T0, minutes).toISOString();

/**
 * The participants export's read (`storage.research.studyParticipants`): a study's actors and raters in joining order,
 * paged by cursor, each with their plays by how they ended, their ratings, activity times and stored outcome.
 */
export function researchParticipantsContract(name: string, open: () => Promise<Storage>): void {
  describe(`ResearchStorage participants contract: ${name}`, () => {
    let storage: Storage;
    beforeEach(async () => {
      storage = await open();
    });
    afterEach(async () => {
      await storage.close();
    });

    async function join(studyId: string, role: 'actor' | 'rater', pid?: string): Promise<string> {
      const prolific = pid === undefined ? {} : { prolificPid: pid };
      return (await storage.people.findOrCreateParticipant({ studyId, role, prolific })).participant.id;
    }

    /** A live episode the participant played, its events appended one by one, ended with `status` if not running. */
    async function play(
      studyId: string,
      participantId: string,
      id: string,
      status: EpisodeStatus,
      events: Parameters<Storage['live']['append']>[1][],
    ): Promise<void> {
      await storage.live.begin({
        summary: runningEpisodeSummary(id, { userSeat: 'person' }),
        studyId,
        participantId,
        assignmentId: null,
        spec: {},
      });
      for (const event of events) await storage.live.append(id, event);
      if (status === 'running') return;
      const failure = status === 'completed' ? null : { stage: 'user', reason: status };
      await storage.live.finish(id, { status, weightedScore: null, correct: null, interactionTurns: 1, failure });
    }

    async function rate(studyId: string, raterId: string): Promise<RatingLease> {
      const claim = await storage.work.leaseNextRating(studyId, raterId, T0, NEVER_GOLD);
      if (claim.kind !== 'leased') throw new Error(`expected a rating lease, got ${claim.reason}`);
      return claim.lease;
    }

    it('counts plays by how they ended, ratings and can-not-judge answers, times and outcomes', async () => {
      const { studyId, problemIds } = await studyWithRecords(storage, 'Participants', 2);
      const actor = await join(studyId, 'actor', 'pid-actor');
      const quiet = await join(studyId, 'actor');
      const rater = await join(studyId, 'rater');

      await play(studyId, actor, 'a-done', 'completed', [
        messageEvent(0, { at: at(1) }),
        completedEvent(1, at(2)),
        actorRatedEvent(2, at(3)),
      ]);
      // The idle timeout is logged long after the person's last act: its time is no activity of theirs.
      await play(studyId, actor, 'a-idle', 'failed', [
        messageEvent(0, { at: at(4) }),
        failedEvent(1, 'idle_timeout', at(60)),
      ]);
      await play(studyId, actor, 'a-left', 'aborted', []);
      await play(studyId, actor, 'a-judge', 'failed', [failedEvent(0, 'judge_failed', at(5))]);
      // A twin is simulated, not played by the person: none of its plays or times count.
      await storage.live.saveTwin('a-done', { ...runningEpisodeSummary('twin-1'), status: 'completed' }, [
        messageEvent(0, { at: at(7) }),
        completedEvent(1, at(8)),
      ]);
      await storage.work.recordOutcome({
        studyId,
        participantId: quiet,
        outcome: 'timed_out',
        completionCode: 'IDLE',
        now: T0,
      });

      await storage.work.saveSettings(studyId, settings({ raterOverlap: 1 }), T0);
      await storage.work.addRatingCandidates(studyId, await episodeCandidates(storage, problemIds, 2), T0);
      const first = await rate(studyId, rater);
      const stored = await storage.work.submitRating({
        studyId,
        participantId: rater,
        itemId: first.itemId,
        scores: SCORES,
        correct: 1,
        justification: '',
        secondsSpent: 30,
        attentionPassed: null,
        now: minutesAfter(T0, 10),
      });
      expect(stored).toMatchObject({ kind: 'stored' });
      const second = await rate(studyId, rater);
      const skipped = await storage.work.skipRating({
        studyId,
        participantId: rater,
        itemId: second.itemId,
        reason: 'other',
        note: '',
        secondsSpent: 3,
        now: minutesAfter(T0, 11),
      });
      expect(skipped).toMatchObject({ kind: 'stored' });

      const byId = new Map(
        (await storage.research.studyParticipants(studyId, { after: null, limit: 10 })).map((p) => [p.id, p]),
      );
      expect([...byId.keys()].sort()).toEqual([actor, quiet, rater].sort());
      const none = { done: 0, cantJudge: 0, attentionChecked: 0, attentionPassed: 0 };
      expect(byId.get(actor)).toMatchObject({
        studyId,
        role: 'actor',
        prolificPid: 'pid-actor',
        plays: { started: 4, completed: 1, selfRated: 1, timedOut: 1, otherwiseEnded: 2 },
        ratings: none,
        eventTimes: [at(1), at(2), at(3), at(4)],
        ratingTimes: [],
        outcome: null,
      });
      expect(byId.get(quiet)).toMatchObject({
        plays: { started: 0, completed: 0, selfRated: 0, timedOut: 0, otherwiseEnded: 0 },
        eventTimes: [],
        outcome: { outcome: 'timed_out', completionCode: 'IDLE', endedAt: T0.toISOString() },
      });
      expect(byId.get(rater)).toMatchObject({
        role: 'rater',
        ratings: { done: 1, cantJudge: 1, attentionChecked: 0, attentionPassed: 0 },
        ratingTimes: [
          { at: at(10), secondsSpent: 30 },
          { at: at(11), secondsSpent: 3 },
        ],
        outcome: null,
      });
    });

    it('pages participants in joining order with no gap or repeat; other studies are left out', async () => {
      const { studyId } = await studyWithRecords(storage, 'Paged', 1);
      const other = await studyWithRecords(storage, 'Other', 1);
      await join(other.studyId, 'actor');
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push(await join(studyId, i % 2 === 0 ? 'actor' : 'rater'));

      const all = await storage.research.studyParticipants(studyId, { after: null, limit: 100 });
      expect(all.map((p) => p.id).sort()).toEqual([...ids].sort());
      const order = [...all].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
      expect(all).toEqual(order);
      for (const limit of [1, 2, 4]) {
        const paged: StudyParticipant[] = [];
        let page = await storage.research.studyParticipants(studyId, { after: null, limit });
        while (page.length > 0) {
          expect(page.length).toBeLessThanOrEqual(limit);
          paged.push(...page);
          // A cursor that does not move on would page forever: fail instead.
          expect(paged.length).toBeLessThanOrEqual(all.length);
          const last = page[page.length - 1] as StudyParticipant;
          page = await storage.research.studyParticipants(studyId, {
            after: { createdAt: last.createdAt, id: last.id },
            limit,
          });
        }
        expect(paged).toEqual(all);
      }
      expect(await storage.research.studyParticipants('no-such-study', { after: null, limit: 10 })).toEqual([]);
    });
  });
}
