import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Storage } from '../../server/storage/storage.ts';
import type { Claim, RatingLease } from '../../server/storage/study-work-storage.ts';
import {
  ALWAYS_GOLD,
  NEVER_GOLD,
  SCORES,
  T0,
  episodeCandidates,
  goldCandidate,
  minutesAfter,
  settings,
  studyWithRecords,
} from '../support/study-work-fixtures.ts';

export interface WorkStores {
  storage: Storage;
  /** A second, independent connection to the same store (another process would have one). */
  openAnother: () => Promise<Storage>;
}

function leased<T>(claim: Claim<T>): T {
  if (claim.kind !== 'leased') throw new Error(`expected a lease, got ${claim.reason}`);
  return claim.lease;
}

/**
 * The behaviour every StudyWorkStorage must have: settings, the play queue (quotas, least played, expiry) and the
 * rating queue (k distinct raters, gold items, own-episode exclusion, no second rating), also under concurrent claims.
 */
export function studyWorkContract(name: string, open: () => Promise<WorkStores>): void {
  describe(`StudyWorkStorage contract: ${name}`, () => {
    let stores: WorkStores;
    let storage: Storage;
    const extra: Storage[] = [];
    beforeEach(async () => {
      stores = await open();
      storage = stores.storage;
    });
    afterEach(async () => {
      for (const s of extra.splice(0)) await s.close();
      await storage.close();
    });

    it('stores settings with their status; unknown studies are not_found', async () => {
      const { studyId } = await studyWithRecords(storage, 'Settings', 1);
      expect(await storage.work.getSettings(studyId)).toBeNull();
      const s = settings({ status: 'paused', raterOverlap: 4, models: ['m1', 'm2'] });
      await storage.work.saveSettings(studyId, s, T0);
      expect(await storage.work.getSettings(studyId)).toEqual(s);
      await expect(storage.work.saveSettings('no-such-study', s, T0)).rejects.toMatchObject({ code: 'not_found' });
    });

    it('settings read back follow every save, also one through another connection; changing a read copy stores nothing', async () => {
      const { studyId } = await studyWithRecords(storage, 'Settings again', 1);
      await storage.work.saveSettings(studyId, settings({ raterOverlap: 2 }), T0);
      expect(await storage.work.getSettings(studyId)).toMatchObject({ raterOverlap: 2, status: 'open' });
      expect(await storage.work.getSettings(studyId)).toMatchObject({ raterOverlap: 2, status: 'open' });
      const other = await stores.openAnother();
      extra.push(other);
      await other.work.saveSettings(studyId, settings({ raterOverlap: 3, status: 'paused' }), T0);
      expect(await storage.work.getSettings(studyId)).toMatchObject({ raterOverlap: 3, status: 'paused' });
      const read = (await storage.work.getSettings(studyId)) as { raterOverlap: number; models: string[] };
      // A store may hand out a shared, frozen copy (the change then throws) or a private one; either way nothing changes.
      try {
        read.raterOverlap = 9;
        read.models.push('x');
      } catch {
        // frozen
      }
      expect(await storage.work.getSettings(studyId)).toMatchObject({ raterOverlap: 3, models: settings().models });
    });

    it('outcomes: one per participant, a higher one replaces a lower one, never the reverse; unknown study not_found', async () => {
      const { studyId } = await studyWithRecords(storage, 'Outcomes', 1);
      const p = { studyId, participantId: 'actor-1' };
      expect(await storage.work.getOutcome('actor-1')).toBeNull();
      expect(await storage.work.recordOutcome({ ...p, outcome: 'timed_out', completionCode: 'IDLE', now: T0 })).toEqual(
        { ...p, outcome: 'timed_out', completionCode: 'IDLE', endedAt: T0.toISOString() },
      );
      const later = minutesAfter(T0, 5);
      await storage.work.recordOutcome({ ...p, outcome: 'completed', completionCode: 'DONE', now: later });
      // A later time-out does not take a finished task's code away.
      const kept = await storage.work.recordOutcome({ ...p, outcome: 'timed_out', completionCode: 'IDLE', now: T0 });
      expect(kept).toEqual({ ...p, outcome: 'completed', completionCode: 'DONE', endedAt: later.toISOString() });
      expect(await storage.work.getOutcome('actor-1')).toEqual(kept);
      // Another participant is apart; a code-less outcome is stored as null.
      await storage.work.recordOutcome({
        studyId,
        participantId: 'rater-1',
        outcome: 'no_work',
        completionCode: null,
        now: T0,
      });
      expect(await storage.work.getOutcome('rater-1')).toMatchObject({ outcome: 'no_work', completionCode: null });
      await expect(
        storage.work.recordOutcome({
          studyId: 'no-such-study',
          participantId: 'x',
          outcome: 'completed',
          completionCode: null,
          now: T0,
        }),
      ).rejects.toMatchObject({ code: 'not_found' });
      expect(await storage.work.getOutcome('x')).toBeNull();
    });

    it('plays: least-played unit first, quota per unit and per actor, never the same record twice', async () => {
      const {
        studyId,
        problemIds: [p0 = '', p1 = ''],
      } = await studyWithRecords(storage, 'Plays', 2);
      await storage.work.saveSettings(studyId, settings({ playsPerRecord: 2, quotas: { playsPerActor: 2 } }), T0, [
        { problemId: p0, model: 'a' },
        { problemId: p0, model: 'b' },
        { problemId: p1, model: 'a' },
      ]);

      expect(await storage.work.playsTaken(studyId, 'actor-1')).toBe(0);
      const first = leased(await storage.work.leaseNextPlay(studyId, 'actor-1', T0));
      expect(first).toMatchObject({ problemId: p0, model: 'a', status: 'leased', participantId: 'actor-1' });
      // A held play counts toward the actor's quota.
      expect(await storage.work.playsTaken(studyId, 'actor-1')).toBe(1);
      // Asking again returns the assignment in hand.
      expect(await storage.work.leaseNextPlay(studyId, 'actor-1', T0)).toMatchObject({
        kind: 'leased',
        resumed: true,
        lease: { id: first.id },
      });
      // Another actor gets the least-played unit: p0/b (0 plays) before p0/a (1).
      expect(leased(await storage.work.leaseNextPlay(studyId, 'actor-2', T0))).toMatchObject({
        problemId: p0,
        model: 'b',
      });

      await storage.work.endPlayLease(first.id, 'completed', T0);
      // actor-1 has played p0, so p0/b is not offered to them even though it has room; p1/a is.
      expect(leased(await storage.work.leaseNextPlay(studyId, 'actor-1', T0))).toMatchObject({
        problemId: p1,
        model: 'a',
      });
      const done = leased(await storage.work.leaseNextPlay(studyId, 'actor-1', T0));
      await storage.work.endPlayLease(done.id, 'completed', T0);
      expect(await storage.work.playsTaken(studyId, 'actor-1')).toBe(2);
      expect(await storage.work.leaseNextPlay(studyId, 'actor-1', T0)).toEqual({
        kind: 'none',
        reason: 'quota_reached',
      });

      // p0/a: 1 completed (quota 2), p0/b: 1 active, p1/a: 1 completed. Actor 3 gets a unit with room, p0/a first.
      expect(leased(await storage.work.leaseNextPlay(studyId, 'actor-3', T0))).toMatchObject({ problemId: p0 });
      const progress = await storage.work.progress(studyId, T0);
      expect(progress.plays.map((u) => [u.problemId, u.model, u.completed, u.active])).toEqual([
        [p0, 'a', 1, 1],
        [p0, 'b', 0, 1],
        [p1, 'a', 1, 0],
      ]);
      expect(progress.actors.map((a) => [a.participantId, a.completed, a.active, a.dropped, a.prolificPid])).toEqual([
        ['actor-1', 2, 0, 0, null],
        ['actor-2', 0, 1, 0, null],
        ['actor-3', 0, 1, 0, null],
      ]);
      // A lease that lapses counts as dropped for its actor.
      expect((await storage.work.progress(studyId, minutesAfter(T0, 24 * 60))).actors.map((a) => a.dropped)).toEqual([
        0, 1, 1,
      ]);
    });

    it('plays: a lapsed lease returns its unit to the queue; only an open study hands out work', async () => {
      const {
        studyId,
        problemIds: [p0 = ''],
      } = await studyWithRecords(storage, 'Expiry', 1);
      await storage.work.saveSettings(studyId, settings({ leaseMinutes: 30 }), T0, [{ problemId: p0, model: 'a' }]);
      const lease = leased(await storage.work.leaseNextPlay(studyId, 'actor-1', T0));
      expect(await storage.work.leaseNextPlay(studyId, 'actor-2', minutesAfter(T0, 29))).toEqual({
        kind: 'none',
        reason: 'no_work',
      });
      const renewed = await storage.work.renewPlayLease(lease.id, minutesAfter(T0, 20));
      expect(renewed?.expiresAt).toBe(minutesAfter(T0, 50).toISOString());
      expect(await storage.work.leaseNextPlay(studyId, 'actor-2', minutesAfter(T0, 49))).toMatchObject({
        kind: 'none',
      });
      const second = leased(await storage.work.leaseNextPlay(studyId, 'actor-2', minutesAfter(T0, 50)));
      expect(second).toMatchObject({ problemId: p0, participantId: 'actor-2' });
      expect((await storage.work.getPlayLease(lease.id))?.status).toBe('expired');
      // The late finisher's session still counts; the unit is now over quota, which claims never cause.
      expect((await storage.work.endPlayLease(lease.id, 'completed', minutesAfter(T0, 51)))?.status).toBe('completed');

      await storage.work.saveSettings(studyId, settings({ status: 'paused' }), T0);
      expect(await storage.work.leaseNextPlay(studyId, 'actor-3', T0)).toEqual({
        kind: 'none',
        reason: 'study_not_open',
      });
      // Pausing stops new work, not work in hand; closing stops both.
      expect(await storage.work.leaseNextPlay(studyId, 'actor-2', minutesAfter(T0, 60))).toMatchObject({
        kind: 'leased',
        resumed: true,
        lease: { id: second.id },
      });
      await storage.work.saveSettings(studyId, settings({ status: 'closed' }), T0);
      expect(await storage.work.leaseNextPlay(studyId, 'actor-2', minutesAfter(T0, 60))).toEqual({
        kind: 'none',
        reason: 'study_not_open',
      });
    });

    it('plays: units left out when settings change are not served, their history kept', async () => {
      const {
        studyId,
        problemIds: [p0 = '', p1 = ''],
      } = await studyWithRecords(storage, 'Units', 2);
      await storage.work.saveSettings(studyId, settings(), T0, [{ problemId: p0, model: 'a' }]);
      await storage.work.saveSettings(studyId, settings(), T0, [{ problemId: p1, model: 'a' }]);
      expect(leased(await storage.work.leaseNextPlay(studyId, 'actor-1', T0)).problemId).toBe(p1);
      await expect(
        storage.work.saveSettings(studyId, settings(), T0, [{ problemId: 'problem_99_x', model: 'a' }]),
      ).rejects.toMatchObject({ code: 'invalid_payload' });
    });

    it('ratings: k distinct raters per answer, least covered first, never own episode, never twice', async () => {
      const { studyId, problemIds } = await studyWithRecords(storage, 'Ratings', 2);
      await storage.work.saveSettings(studyId, settings({ raterOverlap: 2 }), T0);
      const candidates = await episodeCandidates(storage, problemIds, 3, (i) => (i === 0 ? 'rater-1' : null));
      expect(await storage.work.addRatingCandidates(studyId, candidates, T0)).toEqual({ added: 3, unchanged: 0 });
      expect(await storage.work.addRatingCandidates(studyId, candidates.slice(0, 1), T0)).toEqual({
        added: 0,
        unchanged: 1,
      });

      const seen = new Map<string, Set<string>>();
      const ownItem = (await storage.work.progress(studyId, T0)).candidates[0]?.itemId;
      for (let round = 0; round < 4; round++) {
        for (const rater of ['rater-1', 'rater-2', 'rater-3']) {
          const claim = await storage.work.leaseNextRating(studyId, rater, T0, NEVER_GOLD);
          if (claim.kind === 'none') continue;
          const { itemId } = claim.lease;
          if (rater === 'rater-1') expect(itemId).not.toBe(ownItem);
          expect(seen.get(itemId)?.has(rater) ?? false).toBe(false);
          seen.set(itemId, (seen.get(itemId) ?? new Set()).add(rater));
          expect(
            await storage.work.submitRating({
              studyId,
              participantId: rater,
              itemId,
              scores: SCORES,
              correct: 1,
              justification: '',
              secondsSpent: 5,
              attentionPassed: null,
              now: T0,
            }),
          ).toMatchObject({ kind: 'stored' });
        }
      }
      // 3 answers × k=2 = 6 ratings, the own-episode answer rated by raters 2 and 3 only.
      expect([...seen.values()].map((s) => s.size)).toEqual([2, 2, 2]);
      expect([...(seen.get(ownItem ?? '') ?? [])].sort()).toEqual(['rater-2', 'rater-3']);
      expect(await storage.work.leaseNextRating(studyId, 'rater-4', T0, NEVER_GOLD)).toEqual({
        kind: 'none',
        reason: 'no_work',
      });
      expect((await storage.work.listRatings(studyId)).length).toBe(6);
    });

    it('ratings: the actor of a session in another study (same Prolific id) is never offered its answer', async () => {
      const a = await studyWithRecords(storage, 'Played', 1);
      const b = await studyWithRecords(storage, 'Rated', 1);
      const join = async (studyId: string, role: 'actor' | 'rater', pid: string) =>
        (await storage.people.findOrCreateParticipant({ studyId, role, prolific: { prolificPid: pid } })).participant
          .id;
      const actor = await join(a.studyId, 'actor', 'PID-1');
      const [same, other] = [await join(b.studyId, 'rater', 'PID-1'), await join(b.studyId, 'rater', 'PID-2')];
      await storage.work.saveSettings(b.studyId, settings({ raterOverlap: 5 }), T0);
      await storage.work.addRatingCandidates(
        b.studyId,
        await episodeCandidates(storage, b.problemIds, 1, () => actor),
        T0,
      );
      expect(await storage.work.leaseNextRating(b.studyId, same, T0, NEVER_GOLD)).toEqual({
        kind: 'none',
        reason: 'no_work',
      });
      expect(await storage.work.leaseNextRating(b.studyId, other, T0, NEVER_GOLD)).toMatchObject({ kind: 'leased' });
    });

    it('ratings: submit outcomes, and a lapsed lease returns the answer to the queue', async () => {
      const { studyId, problemIds } = await studyWithRecords(storage, 'Submit', 1);
      await storage.work.saveSettings(studyId, settings({ raterOverlap: 1, leaseMinutes: 10 }), T0);
      await storage.work.addRatingCandidates(studyId, await episodeCandidates(storage, problemIds, 1), T0);
      const rating = (participantId: string, itemId: string, now: Date) => ({
        studyId,
        participantId,
        itemId,
        scores: SCORES,
        correct: 0 as const,
        justification: 'ok',
        secondsSpent: 12,
        attentionPassed: null,
        now,
      });

      const first = leased(await storage.work.leaseNextRating(studyId, 'r1', T0, NEVER_GOLD));
      expect(await storage.work.leaseNextRating(studyId, 'r2', minutesAfter(T0, 9), NEVER_GOLD)).toEqual({
        kind: 'none',
        reason: 'no_work',
      });
      expect(await storage.work.submitRating(rating('r2', first.itemId, T0))).toEqual({ kind: 'not_leased' });
      // After expiry the answer goes to r2; r1's late rating would make 2 raters with k=1, so it is refused.
      const second = leased(await storage.work.leaseNextRating(studyId, 'r2', minutesAfter(T0, 10), NEVER_GOLD));
      expect(second.itemId).toBe(first.itemId);
      expect(await storage.work.submitRating(rating('r1', first.itemId, minutesAfter(T0, 11)))).toEqual({
        kind: 'not_leased',
      });
      expect(await storage.work.submitRating(rating('r2', first.itemId, minutesAfter(T0, 11)))).toEqual({
        kind: 'stored',
        rated: 1,
      });
      expect(await storage.work.submitRating(rating('r2', first.itemId, minutesAfter(T0, 12)))).toEqual({
        kind: 'already_rated',
      });
      expect(await storage.work.findRatingLease(studyId, 'r2', first.itemId)).toMatchObject({ status: 'completed' });
      expect(await storage.work.listRatings(studyId)).toEqual([
        expect.objectContaining({
          itemId: first.itemId,
          participantId: 'r2',
          scores: SCORES,
          correct: 0,
          justification: 'ok',
          secondsSpent: 12,
          isGold: false,
        }),
      ]);
    });

    it('ratings: a late rating is accepted while the answer still has room', async () => {
      const { studyId, problemIds } = await studyWithRecords(storage, 'Late', 1);
      await storage.work.saveSettings(studyId, settings({ raterOverlap: 3, leaseMinutes: 10 }), T0);
      await storage.work.addRatingCandidates(studyId, await episodeCandidates(storage, problemIds, 1), T0);
      const lease = leased(await storage.work.leaseNextRating(studyId, 'r1', T0, NEVER_GOLD));
      await storage.work.leaseNextRating(studyId, 'r2', minutesAfter(T0, 20), NEVER_GOLD);
      expect((await storage.work.findRatingLease(studyId, 'r1', lease.itemId))?.status).toBe('expired');
      expect(
        await storage.work.submitRating({
          studyId,
          participantId: 'r1',
          itemId: lease.itemId,
          scores: SCORES,
          correct: 1,
          justification: '',
          secondsSpent: 1,
          attentionPassed: null,
          now: minutesAfter(T0, 21),
        }),
      ).toEqual({ kind: 'stored', rated: 1 });
    });

    it('ratings: per-rater quota; gold items at the rate, outside k, tallied', async () => {
      const { studyId, problemIds } = await studyWithRecords(storage, 'Gold', 1);
      await storage.work.saveSettings(
        studyId,
        settings({ raterOverlap: 1, goldRate: 0.5, quotas: { ratingsPerRater: 2 } }),
        T0,
      );
      await storage.work.addRatingCandidates(
        studyId,
        [...(await episodeCandidates(storage, problemIds, 2)), goldCandidate(problemIds[0] ?? '')],
        T0,
      );
      const submit = async (rater: string, lease: RatingLease, passed: boolean | null) =>
        storage.work.submitRating({
          studyId,
          participantId: rater,
          itemId: lease.itemId,
          scores: SCORES,
          correct: 1,
          justification: '',
          secondsSpent: 1,
          attentionPassed: passed,
          now: T0,
        });

      const goldA = leased(await storage.work.leaseNextRating(studyId, 'r1', T0, ALWAYS_GOLD));
      expect(goldA.gold).toEqual({ expectedScores: { a: 1 }, tolerance: 1 });
      await submit('r1', goldA, false);
      const goldB = leased(await storage.work.leaseNextRating(studyId, 'r2', T0, ALWAYS_GOLD));
      expect(goldB.itemId).toBe(goldA.itemId);
      await submit('r2', goldB, true);
      // r1 has rated the only gold item: a gold draw falls back to a regular answer.
      const regular = leased(await storage.work.leaseNextRating(studyId, 'r1', T0, ALWAYS_GOLD));
      expect(regular.gold).toBeNull();
      await submit('r1', regular, null);
      expect(await storage.work.leaseNextRating(studyId, 'r1', T0, NEVER_GOLD)).toEqual({
        kind: 'none',
        reason: 'quota_reached',
      });
      expect(await storage.work.countRatings(studyId, 'r1')).toBe(2);
      expect(await storage.work.attentionTally(studyId, 'r1')).toEqual({ checked: 1, passed: 0 });
      expect(await storage.work.attentionTally(studyId, 'r2')).toEqual({ checked: 1, passed: 1 });
      const progress = await storage.work.progress(studyId, T0);
      // Which regular answer r1 got depends on r1's shuffle; the gold item was rated by both, outside k = 1.
      expect(progress.candidates.map((c) => [c.isGold, c.rated]).sort()).toEqual([
        [false, 0],
        [false, 1],
        [true, 2],
      ]);
      expect(progress.raters).toEqual([
        {
          participantId: 'r1',
          prolificPid: null,
          rated: 2,
          cantJudge: 0,
          active: 0,
          attentionChecked: 1,
          attentionPassed: 0,
        },
        {
          participantId: 'r2',
          prolificPid: null,
          rated: 1,
          cantJudge: 0,
          active: 0,
          attentionChecked: 1,
          attentionPassed: 1,
        },
      ]);
    });

    it("problem ids: the study's in import order; with only, just those of them that are the study's", async () => {
      const { studyId, problemIds } = await studyWithRecords(storage, 'Ids', 4);
      const [p0, p1, , p3] = problemIds;
      expect(await storage.work.listProblemIds(studyId)).toEqual(problemIds);
      expect(await storage.work.listProblemIds(studyId, [p3 ?? '', 'no-such-problem', p0 ?? '', p3 ?? ''])).toEqual([
        p0,
        p3,
      ]);
      expect(await storage.work.listProblemIds(studyId, [p1 ?? ''])).toEqual([p1]);
      expect(await storage.work.listProblemIds(studyId, [])).toEqual([]);
      expect(await storage.work.listProblemIds('no-such-study', [p0 ?? ''])).toEqual([]);
    });

    it('candidates: queued episodes, answers without a dialogue, withdrawing unrated answers for good', async () => {
      const { studyId, problemIds } = await studyWithRecords(storage, 'Withdraw', 1);
      await storage.work.saveSettings(studyId, settings({ raterOverlap: 2, goldRate: 0 }), T0);
      const [rated, held, idle] = await episodeCandidates(storage, problemIds, 3);
      if (!rated || !held || !idle) throw new Error('three candidates');
      const dialogue = [{ role: 'user' as const, content: 'hi' }];
      await storage.work.addRatingCandidates(studyId, [{ ...rated, transcript: dialogue }, held], T0);
      const ids = [rated, held, idle].map((c) => c.sourceEpisodeId ?? '');
      expect(await storage.work.queuedEpisodes(studyId, [...ids, 'no-such-episode'])).toEqual(ids.slice(0, 2));
      expect(await storage.work.countCandidatesWithoutTranscript(studyId)).toBe(1);
      await storage.work.addRatingCandidates(studyId, [idle, goldCandidate(problemIds[0] ?? '')], T0);
      expect(await storage.work.countCandidatesWithoutTranscript(studyId)).toBe(3);

      // r1 rates the answer with a dialogue (least covered, then their own order: take leases until it comes).
      const items = (await storage.work.progress(studyId, T0)).candidates;
      const itemOf = (episodeId: string | null) => items.find((c) => c.sourceEpisodeId === episodeId)?.itemId ?? '';
      const claimed = new Map<string, string>();
      for (const rater of ['r1', 'r2', 'r3']) {
        const lease = leased(await storage.work.leaseNextRating(studyId, rater, T0, NEVER_GOLD));
        claimed.set(rater, lease.itemId);
      }
      const [raterOfRated] = [...claimed].find(([, item]) => item === itemOf(rated.sourceEpisodeId)) ?? [];
      const [raterOfHeld] = [...claimed].find(([, item]) => item === itemOf(held.sourceEpisodeId)) ?? [];
      if (!raterOfRated || !raterOfHeld) throw new Error('three raters take three different answers first');
      const rating = {
        studyId,
        participantId: raterOfRated,
        itemId: itemOf(rated.sourceEpisodeId),
        scores: SCORES,
        correct: 1 as const,
        justification: '',
        secondsSpent: 5,
        attentionPassed: null,
        now: T0,
      };
      expect(await storage.work.submitRating(rating)).toMatchObject({ kind: 'stored' });

      const unknown = await storage.work.withdrawRatingCandidates(
        studyId,
        { itemIds: ['nope', itemOf(idle.sourceEpisodeId)] },
        T0,
      );
      expect(unknown).toEqual({ withdrawn: 0, kept: 0, missing: ['nope'] });
      const byEpisode = { episodeIds: [...ids, 'never-queued'] };
      const later = minutesAfter(T0, 1);
      expect(await storage.work.withdrawRatingCandidates(studyId, byEpisode, later)).toEqual({
        withdrawn: 2,
        kept: 1,
        missing: [],
      });
      expect(await storage.work.withdrawRatingCandidates(studyId, byEpisode, later)).toEqual({
        withdrawn: 2,
        kept: 1,
        missing: [],
      });
      // Only the rated answer (and the gold item, which this study never draws) are left; the held lease is released.
      expect(await storage.work.countCandidatesWithoutTranscript(studyId)).toBe(1);
      expect(await storage.work.findRatingLease(studyId, raterOfHeld, itemOf(held.sourceEpisodeId))).toMatchObject({
        status: 'released',
      });
      expect(
        await storage.work.submitRating({
          ...rating,
          participantId: raterOfHeld,
          itemId: itemOf(held.sourceEpisodeId),
        }),
      ).toEqual({ kind: 'not_leased' });
      const next = leased(await storage.work.leaseNextRating(studyId, raterOfHeld, later, NEVER_GOLD));
      expect(next.itemId).toBe(itemOf(rated.sourceEpisodeId));
      // k = 2: its rating and that lease fill it, and nothing else is left to hand out.
      expect(await storage.work.leaseNextRating(studyId, 'r4', later, NEVER_GOLD)).toEqual({
        kind: 'none',
        reason: 'no_work',
      });
      expect(await storage.work.addRatingCandidates(studyId, [held, idle], later)).toEqual({ added: 0, unchanged: 2 });
      const withdrawn = (await storage.work.progress(studyId, later)).candidates.filter((c) => c.withdrawn === true);
      expect(withdrawn.map((c) => c.sourceEpisodeId).sort()).toEqual(
        [held.sourceEpisodeId, idle.sourceEpisodeId].sort(),
      );
      expect(await storage.work.listRatings(studyId)).toHaveLength(1);
    });

    it("judgments: can't judge counts for the rater, not for k; only the latest is revised; flags are kept", async () => {
      const { studyId, problemIds } = await studyWithRecords(storage, 'Judgments', 1);
      await storage.work.saveSettings(studyId, settings({ raterOverlap: 1, quotas: { ratingsPerRater: 5 } }), T0);
      await storage.work.addRatingCandidates(studyId, await episodeCandidates(storage, problemIds, 2), T0);
      const first = leased(await storage.work.leaseNextRating(studyId, 'r1', T0, NEVER_GOLD));
      expect(await storage.work.availableFor(studyId, 'r1', T0)).toBe(1);
      const skip = { studyId, participantId: 'r1', itemId: first.itemId, reason: 'other', note: 'n', secondsSpent: 3 };
      expect(await storage.work.skipRating({ ...skip, reason: 'other', now: T0 })).toEqual({
        kind: 'stored',
        rated: 1,
      });
      expect(await storage.work.skipRating({ ...skip, reason: 'other', now: T0 })).toEqual({ kind: 'already_rated' });
      expect(await storage.work.countSkips(studyId, 'r1')).toBe(1);
      expect(await storage.work.listRatings(studyId)).toEqual([]);
      // k = 1, but a "can't judge" is no rating: both answers, the skipped one too, are still there for another rater.
      // (Which of the two, both unrated, r2 is served first is not fixed: ties go by random item id.)
      expect(await storage.work.availableFor(studyId, 'r2', T0)).toBe(2);
      expect(await storage.work.latestJudgment(studyId, 'r1')).toMatchObject({
        itemId: first.itemId,
        kind: 'cant_judge',
        before: 0,
      });
      const scores = { kind: 'scores' as const, scores: SCORES, correct: 1 as const, justification: 'x' };
      const revision = { studyId, participantId: 'r1', itemId: first.itemId, secondsSpent: 2, now: T0 };
      expect(await storage.work.reviseLatest({ ...revision, verdict: { ...scores, attentionPassed: null } })).toEqual({
        kind: 'revised',
        rated: 1,
      });
      expect((await storage.work.listRatings(studyId)).map((r) => [r.participantId, r.secondsSpent])).toEqual([
        ['r1', 5],
      ]);
      const second = leased(await storage.work.leaseNextRating(studyId, 'r1', minutesAfter(T0, 1), NEVER_GOLD));
      expect(
        await storage.work.submitRating({
          ...revision,
          itemId: second.itemId,
          scores: SCORES,
          correct: 0,
          justification: '',
          attentionPassed: null,
          now: minutesAfter(T0, 1),
        }),
      ).toEqual({ kind: 'stored', rated: 2 });
      expect(
        await storage.work.reviseLatest({ ...revision, verdict: { kind: 'cant_judge', reason: 'other', note: '' } }),
      ).toEqual({ kind: 'not_latest' });

      expect(
        await storage.work.flagItem({
          studyId,
          participantId: 'r1',
          itemId: first.itemId,
          kind: 'broken',
          note: 'a',
          now: T0,
        }),
      ).toBe(true);
      expect(
        await storage.work.flagItem({
          studyId,
          participantId: 'r1',
          itemId: first.itemId,
          kind: 'other',
          note: 'b',
          now: T0,
        }),
      ).toBe(true);
      expect(
        await storage.work.flagItem({
          studyId,
          participantId: 'r9',
          itemId: first.itemId,
          kind: 'broken',
          note: '',
          now: T0,
        }),
      ).toBe(false);
      expect((await storage.work.listFlags(studyId)).map((f) => [f.itemId, f.participantId, f.kind, f.note])).toEqual([
        [first.itemId, 'r1', 'other', 'b'],
      ]);
    });

    it('20 concurrent claims from 10 raters on two connections never exceed k, round after round', async () => {
      const { studyId, problemIds } = await studyWithRecords(storage, 'Concurrent', 3);
      await storage.work.saveSettings(studyId, settings({ raterOverlap: 3, quotas: { ratingsPerRater: 100 } }), T0);
      await storage.work.addRatingCandidates(studyId, await episodeCandidates(storage, problemIds, 4), T0);
      const other = await stores.openAnother();
      extra.push(other);
      const raters = Array.from({ length: 10 }, (_, i) => `rater-${i}`);

      for (let round = 0; round < 4; round++) {
        const claims = await Promise.all(
          raters.flatMap((rater) =>
            [storage, other].map(async (s) => ({
              rater,
              c: await s.work.leaseNextRating(studyId, rater, T0, NEVER_GOLD),
            })),
          ),
        );
        const held = new Map<string, string>();
        for (const { rater, c } of claims) {
          if (c.kind !== 'leased') continue;
          // Both of a rater's calls return the same lease: one item in hand at a time.
          expect(held.get(rater) ?? c.lease.itemId).toBe(c.lease.itemId);
          held.set(rater, c.lease.itemId);
        }
        const progress = await other.work.progress(studyId, T0);
        for (const c of progress.candidates) expect(c.rated + c.active).toBeLessThanOrEqual(3);
        await Promise.all(
          [...held].map(([rater, itemId], i) =>
            (i % 2 ? storage : other).work.submitRating({
              studyId,
              participantId: rater,
              itemId,
              scores: SCORES,
              correct: 1,
              justification: '',
              secondsSpent: 1,
              attentionPassed: null,
              now: T0,
            }),
          ),
        );
      }
      const ratings = await storage.work.listRatings(studyId);
      expect(ratings.length).toBe(12);
      const byItem = new Map<string, string[]>();
      for (const r of ratings) byItem.set(r.itemId, [...(byItem.get(r.itemId) ?? []), r.participantId]);
      expect([...byItem.values()].map((ps) => new Set(ps).size)).toEqual([3, 3, 3, 3]);
    });
  });
}
