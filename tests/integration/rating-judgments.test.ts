import { describe, expect, it } from 'vitest';
import type { Ack } from '../../shared/protocol/acks.ts';
import type { ParticipantStudy } from '../../shared/schemas/api-auth.ts';
import type { BlindRatingItem, RaterCounts, RatingSubmitted } from '../../shared/schemas/live-study.ts';
import type { AssignmentProgress } from '../../shared/schemas/assignment-progress.ts';
import { joinAs, type TestSocket } from '../support/auth-helpers.ts';
import {
  EXAMPLE_CRITERIA,
  EXAMPLE_SCORES,
  nextItem,
  openRatingStudy,
  ratingDesk,
  submitRating,
} from '../support/rating-study.ts';
import { call } from '../support/study-work-app.ts';

/**
 * What a rater may do beside scoring, over real sockets on a real SQLite file: truthful counters, "can't judge",
 * changing the most recent judgment (gold scoring follows), flags, and the consent each role is shown.
 */

const ONES = Object.fromEntries(EXAMPLE_CRITERIA.map((c) => [c, 1]));
const t = ratingDesk();

/** A rating study of `answers` batch answers (and `gold` gold items expecting all ones), opened with `settings`. */
const ratingStudy = (answers: number, settings: Record<string, unknown>, gold = 0): Promise<string> =>
  openRatingStudy(t, {
    answers,
    settings,
    model: 'model-a',
    ...(gold > 0 ? { gold: { count: gold, expectedScores: ONES } } : {}),
  });

const rater = (studyId: string) => t.join(studyId);

const skip = (
  s: TestSocket,
  itemId: string,
  reason = 'outside_expertise',
  note?: string,
): Promise<Ack<RatingSubmitted>> =>
  s.timeout(5000).emitWithAck('rating:skip', { itemId, reason, secondsSpent: 12, ...(note ? { note } : {}) } as never);
const revise = (s: TestSocket, payload: Record<string, unknown>): Promise<Ack<RatingSubmitted>> =>
  s.timeout(5000).emitWithAck('rating:revise', { secondsSpent: 5, ...payload } as never);
const counts = (s: TestSocket): Promise<Ack<RaterCounts>> => s.timeout(5000).emitWithAck('rating:progress', {});

function itemOf(ack: Ack<BlindRatingItem>): string {
  if (!ack.ok) throw new Error(`expected an item, got ${ack.error}`);
  return ack.data.itemId;
}

async function progress(studyId: string): Promise<AssignmentProgress> {
  return (await call(t.app, t.researcher, 'GET', `/api/studies/${studyId}/assignments`)).body as AssignmentProgress;
}

describe('a rater’s counters say what is true', () => {
  it('"available" counts what the queue could still give; fewer answers than the quota show as such', async () => {
    const studyId = await ratingStudy(2, { raterOverlap: 1, quotas: { ratingsPerRater: 5 } });
    const { socket } = await rater(studyId);
    expect(await counts(socket)).toEqual({
      ok: true,
      data: { rated: 0, cantJudge: 0, quota: 5, available: 2, finished: false },
    });
    const first = itemOf(await nextItem(socket));
    // The item in hand is not "available": only the other answer is.
    expect(await counts(socket)).toMatchObject({ ok: true, data: { available: 1 } });
    expect(await submitRating(socket, first)).toEqual({
      ok: true,
      data: { rated: 1, cantJudge: 0, quota: 5, available: 1, finished: false, completionCode: null },
    });
    // Another rater takes the last answer: with k = 1 nothing is left for the first one.
    const other = await rater(studyId);
    itemOf(await nextItem(other.socket));
    expect(await counts(socket)).toEqual({
      ok: true,
      data: { rated: 1, cantJudge: 0, quota: 5, available: 0, finished: false },
    });
    expect(await nextItem(socket)).toMatchObject({ ok: false, error: 'no_work' });
  });

  it('the quota met says finished, with the completion code', async () => {
    const studyId = await ratingStudy(3, {
      raterOverlap: 1,
      quotas: { ratingsPerRater: 1 },
      completionCodes: { completed: 'DONE-7' },
    });
    const { socket } = await rater(studyId);
    expect(await submitRating(socket, itemOf(await nextItem(socket)))).toEqual({
      ok: true,
      data: { rated: 1, cantJudge: 0, quota: 1, available: 2, finished: true, completionCode: 'DONE-7' },
    });
  });
});

describe('can’t judge', () => {
  it('is stored with its reason, counts toward the quota, stays out of ratings and sends the answer to another rater', async () => {
    const studyId = await ratingStudy(1, {
      raterOverlap: 1,
      quotas: { ratingsPerRater: 1 },
      completionCodes: { completed: 'SKIPPED-OK' },
    });
    const a = await rater(studyId);
    const itemId = itemOf(await nextItem(a.socket));
    expect(await skip(a.socket, itemId, 'outside_expertise', '  I do not know geometry  ')).toEqual({
      ok: true,
      data: { rated: 1, cantJudge: 1, quota: 1, available: 0, finished: true, completionCode: 'SKIPPED-OK' },
    });
    expect(await skip(a.socket, itemId)).toMatchObject({ ok: false, error: 'conflict' });
    expect(await submitRating(a.socket, itemId)).toMatchObject({ ok: false, error: 'conflict' });
    expect(await t.storage.work.listRatings(studyId)).toEqual([]);

    // k = 1 and nobody rated it: the answer goes to the next rater, who rates it.
    const b = await rater(studyId);
    expect(itemOf(await nextItem(b.socket))).toBe(itemId);
    expect(await submitRating(b.socket, itemId)).toMatchObject({ ok: true, data: { rated: 1, cantJudge: 0 } });
    const p = await progress(studyId);
    expect(p.candidates).toEqual([expect.objectContaining({ itemId, rated: 1, cantJudge: 1, flagged: 0 })]);
    expect(p.raters.find((r) => r.participantId === a.participantId)).toMatchObject({ rated: 0, cantJudge: 1 });
    expect(p.raters.find((r) => r.participantId === b.participantId)).toMatchObject({ rated: 1, cantJudge: 0 });
  });

  it('refuses an unknown reason and an item that is not the rater’s', async () => {
    const studyId = await ratingStudy(2, { raterOverlap: 1 });
    const { socket } = await rater(studyId);
    const itemId = itemOf(await nextItem(socket));
    expect(await skip(socket, itemId, 'bored')).toMatchObject({ ok: false, error: 'invalid_payload' });
    expect(await skip(socket, 'not-an-item')).toMatchObject({ ok: false, error: 'not_found' });
  });
});

describe('changing the most recent judgment', () => {
  it('replaces scores, turns into can’t judge and back; only the latest; never the one that completed the task', async () => {
    const studyId = await ratingStudy(3, { raterOverlap: 1, quotas: { ratingsPerRater: 3 } });
    const { socket } = await rater(studyId);
    const first = itemOf(await nextItem(socket));
    expect(await submitRating(socket, first, { justification: 'first try' })).toMatchObject({ ok: true });
    const second = itemOf(await nextItem(socket));

    // While the next item is in hand, the previous rating may change.
    const edited = { ...EXAMPLE_SCORES, 'Notation Density': 1 };
    expect(await revise(socket, { itemId: first, scores: edited, correct: 0, justification: 'on reflection' })).toEqual(
      {
        ok: true,
        data: { rated: 1, cantJudge: 0, quota: 3, available: 1, finished: false, completionCode: null },
      },
    );
    expect(await t.storage.work.listRatings(studyId)).toEqual([
      expect.objectContaining({
        itemId: first,
        scores: edited,
        correct: 0,
        justification: 'on reflection',
        secondsSpent: 35,
      }),
    ]);
    const bad = await revise(socket, { itemId: first, scores: { [EXAMPLE_CRITERIA[0] ?? '']: 3 }, correct: 1 });
    expect(bad).toMatchObject({ ok: false, error: 'invalid_payload' });

    expect(await revise(socket, { itemId: first, reason: 'answer_unreadable', note: 'garbled' })).toMatchObject({
      ok: true,
      data: { rated: 1, cantJudge: 1 },
    });
    expect(await t.storage.work.listRatings(studyId)).toEqual([]);
    expect(await revise(socket, { itemId: first, scores: EXAMPLE_SCORES, correct: 1 })).toMatchObject({
      ok: true,
      data: { rated: 1, cantJudge: 0 },
    });
    expect((await t.storage.work.listRatings(studyId)).map((r) => [r.itemId, r.scores])).toEqual([
      [first, EXAMPLE_SCORES],
    ]);

    // Once the next item is judged, the first one is no longer the latest.
    expect(await submitRating(socket, second)).toMatchObject({ ok: true, data: { rated: 2 } });
    expect(await revise(socket, { itemId: first, scores: edited, correct: 1 })).toMatchObject({
      ok: false,
      error: 'conflict',
    });
    // An item the rater never judged, and the item in hand, are not theirs to revise either.
    const third = itemOf(await nextItem(socket));
    expect(await revise(socket, { itemId: third, scores: EXAMPLE_SCORES, correct: 1 })).toMatchObject({
      ok: false,
      error: 'conflict',
    });
    // The judgment that meets the quota is final: its completion code has been shown.
    expect(await submitRating(socket, third)).toMatchObject({ ok: true, data: { rated: 3, finished: true } });
    expect(await revise(socket, { itemId: third, scores: edited, correct: 1 })).toMatchObject({
      ok: false,
      error: 'conflict',
    });
  });

  it('a gold item scored again is checked again: the attention tally follows the new values', async () => {
    const studyId = await ratingStudy(1, { raterOverlap: 1, goldRate: 1, quotas: { ratingsPerRater: 3 } }, 1);
    const { socket, participantId } = await rater(studyId);
    const gold = itemOf(await nextItem(socket));
    expect(await submitRating(socket, gold, { scores: EXAMPLE_SCORES })).toMatchObject({ ok: true });
    expect(await t.storage.work.attentionTally(studyId, participantId)).toEqual({ checked: 1, passed: 0 });
    expect(await revise(socket, { itemId: gold, scores: ONES, correct: 1 })).toMatchObject({ ok: true });
    expect(await t.storage.work.attentionTally(studyId, participantId)).toEqual({ checked: 1, passed: 1 });
    // Can't judge on a gold item counts as a check not passed.
    expect(await revise(socket, { itemId: gold, reason: 'other' })).toMatchObject({ ok: true });
    expect(await t.storage.work.attentionTally(studyId, participantId)).toEqual({ checked: 1, passed: 0 });
  });

  it('refuses while the study is closed', async () => {
    const studyId = await ratingStudy(2, { raterOverlap: 1, quotas: { ratingsPerRater: 3 } });
    const { socket } = await rater(studyId);
    const first = itemOf(await nextItem(socket));
    expect(await submitRating(socket, first)).toMatchObject({ ok: true });
    expect((await call(t.app, t.researcher, 'POST', `/api/studies/${studyId}/close`)).status).toBe(200);
    expect(await revise(socket, { itemId: first, scores: ONES, correct: 1 })).toMatchObject({
      ok: false,
      error: 'study_closed',
    });
  });
});

describe('flags', () => {
  it('a rater flags an item they hold or judged, with a note; researchers see it; flagging again replaces it', async () => {
    const studyId = await ratingStudy(2, { raterOverlap: 1, quotas: { ratingsPerRater: 3 } });
    const { socket, participantId } = await rater(studyId);
    const itemId = itemOf(await nextItem(socket));
    const flag = (payload: Record<string, unknown>): Promise<Ack<unknown>> =>
      socket.timeout(5000).emitWithAck('rating:flag', payload as never);
    expect(await flag({ itemId, kind: 'offensive', note: '<b>rude</b>' })).toEqual({
      ok: true,
      data: { itemId, kind: 'offensive' },
    });
    expect(await flag({ itemId, kind: 'wrong_gold', note: 'the correct answer should be 540' })).toMatchObject({
      ok: true,
    });
    expect(await flag({ itemId, kind: 'spam' })).toMatchObject({ ok: false, error: 'invalid_payload' });
    const other = (await progress(studyId)).candidates.find((c) => c.itemId !== itemId)?.itemId ?? '';
    expect(await flag({ itemId: other, kind: 'broken' })).toMatchObject({ ok: false, error: 'not_found' });
    // Flagging is not judging: the item is still theirs to rate.
    expect(await submitRating(socket, itemId)).toMatchObject({ ok: true });

    const p = await progress(studyId);
    expect(p.flags).toEqual([
      {
        itemId,
        problemId: expect.any(String) as string,
        sourceEpisodeId: expect.any(String) as string,
        participantId,
        kind: 'wrong_gold',
        note: 'the correct answer should be 540',
        createdAt: expect.any(String) as string,
      },
    ]);
    expect(p.candidates.find((c) => c.itemId === itemId)).toMatchObject({ flagged: 1, rated: 1 });
  });
});

describe('consent per role', () => {
  async function study(over: Record<string, unknown>): Promise<string> {
    return ratingStudy(0, over);
  }
  async function intro(studyId: string, role: 'actor' | 'rater'): Promise<ParticipantStudy> {
    const joined = await joinAs(t, role, { studyId });
    const res = await call(t.app, joined.cookie, 'GET', '/api/participant/study');
    expect(res.status).toBe(200);
    return res.body as ParticipantStudy;
  }

  it('raters get the rater consent and their time estimate; actors the study consent and theirs', async () => {
    const studyId = await study({
      consentText: 'You will chat as a persona.',
      raterConsentText: 'You will rate answers.',
      estimatedMinutes: { actor: 15, rater: 25 },
      instructions: { actor: 'Play along.', rater: 'Score carefully.' },
    });
    expect(await intro(studyId, 'rater')).toEqual({
      role: 'rater',
      consentText: 'You will rate answers.',
      instructions: 'Score carefully.',
      estimatedMinutes: 25,
      status: 'open',
    });
    expect(await intro(studyId, 'actor')).toMatchObject({
      consentText: 'You will chat as a persona.',
      instructions: 'Play along.',
      estimatedMinutes: 15,
    });
  });

  it('without a rater consent raters see the study consent; without either, the page default (empty)', async () => {
    const shared = await study({ consentText: 'One consent for all.' });
    expect(await intro(shared, 'rater')).toMatchObject({ consentText: 'One consent for all.', estimatedMinutes: 0 });
    const none = await study({});
    expect(await intro(none, 'rater')).toMatchObject({ consentText: '' });
  });

  it('the join answer carries the consent of the joining role', async () => {
    const studyId = await study({ consentText: 'Actor consent.', raterConsentText: 'Rater consent.' });
    const invite = await t.storage.people.createInvite({ studyId, role: 'rater' });
    const res = await t.app.inject({ method: 'POST', url: `/api/join/${invite.code}`, payload: {} });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ role: 'rater', consentText: 'Rater consent.' });
  });
});
