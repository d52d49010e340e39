import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Ack } from '../../shared/protocol/acks.ts';
import type { BlindRatingItem, RatingSubmitted } from '../../shared/schemas/live-study.ts';
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

const t = ratingDesk();
afterEach(() => {
  vi.useRealTimers();
});

/** A rating study of `answers` stored batch answers, opened with the given settings. */
const ratingStudy = (answers: number, settings: Record<string, unknown>): Promise<string> =>
  openRatingStudy(t, { answers, settings, model: 'model-a' });

async function rater(studyId: string, role: 'rater' | 'actor' = 'rater'): Promise<TestSocket> {
  return (await t.join(studyId, role)).socket;
}

function itemOf(ack: Ack<BlindRatingItem>): BlindRatingItem {
  if (!ack.ok) throw new Error(`expected an item, got ${ack.error}`);
  return ack.data;
}

describe('the rating queue over real sockets', () => {
  it('raters requesting concurrently never push an answer past k; every answer ends with exactly k raters', async () => {
    const studyId = await ratingStudy(3, {
      raterOverlap: 2,
      quotas: { ratingsPerRater: 10 },
      completionCodes: { completed: 'DONE-1' },
    });
    const raters = await Promise.all([1, 2, 3, 4].map(() => rater(studyId)));
    const ratedBy = new Map<string, Set<number>>();
    let lastAcks: Ack<RatingSubmitted>[] = [];
    for (let round = 0; round < 4; round++) {
      // Everyone asks at once; then everyone with an item rates it.
      const acks = await Promise.all(raters.map((s) => nextItem(s)));
      const progress = (await call(t.app, t.researcher, 'GET', `/api/studies/${studyId}/assignments`))
        .body as AssignmentProgress;
      for (const c of progress.candidates) expect(c.rated + c.active).toBeLessThanOrEqual(2);
      const withItems = acks.flatMap((a, i) => (a.ok ? [{ i, itemId: a.data.itemId }] : []));
      for (const a of acks) if (!a.ok) expect(a.error).toBe('no_work');
      for (const { i, itemId } of withItems) {
        expect(ratedBy.get(itemId)?.has(i) ?? false).toBe(false);
        ratedBy.set(itemId, (ratedBy.get(itemId) ?? new Set()).add(i));
      }
      lastAcks = await Promise.all(withItems.map(({ i, itemId }) => submitRating(raters[i] as TestSocket, itemId)));
      for (const a of lastAcks) expect(a.ok).toBe(true);
    }
    expect([...ratedBy.values()].map((s) => s.size)).toEqual([2, 2, 2]);
    const stored = await t.storage.work.listRatings(studyId);
    expect(stored).toHaveLength(6);
    expect(stored[0]).toMatchObject({ scores: EXAMPLE_SCORES, correct: 1, secondsSpent: 30, attentionPassed: null });
    for (const s of raters) expect(await nextItem(s)).toMatchObject({ ok: false, error: 'no_work' });
  });

  it('submit refusals carry closed codes; a rater cannot rate twice; the quota ends with the completion code', async () => {
    const studyId = await ratingStudy(2, {
      raterOverlap: 1,
      quotas: { ratingsPerRater: 1 },
      completionCodes: { completed: 'C0DE' },
    });
    const socket = await rater(studyId);
    const { itemId } = itemOf(await nextItem(socket));
    const missing = await submitRating(socket, itemId, { scores: { [EXAMPLE_CRITERIA[0] ?? '']: 3 } });
    expect(missing).toMatchObject({ ok: false, error: 'invalid_payload' });
    expect(!missing.ok && missing.issues?.map((i) => i.path).sort()).toEqual([
      '$.scores["Honeycomb Analogies"]',
      '$.scores["Notation Density"]',
    ]);
    const extra = await submitRating(socket, itemId, { scores: { ...EXAMPLE_SCORES, Invented: 2 } });
    expect(!extra.ok && extra.issues).toEqual([
      { path: '$.scores["Invented"]', message: 'not a criterion of this rubric' },
    ]);
    expect(await submitRating(socket, itemId, { scores: { ...EXAMPLE_SCORES, 'Notation Density': 6 } })).toMatchObject({
      ok: false,
      error: 'invalid_payload',
    });
    expect(await submitRating(socket, itemId, { correct: 2 })).toMatchObject({ ok: false, error: 'invalid_payload' });
    expect(await submitRating(socket, 'not-an-item')).toMatchObject({ ok: false, error: 'not_found' });

    expect(await submitRating(socket, itemId, { justification: 'clear' })).toEqual({
      ok: true,
      data: { rated: 1, cantJudge: 0, quota: 1, available: 1, finished: true, completionCode: 'C0DE' },
    });
    expect(await submitRating(socket, itemId)).toMatchObject({ ok: false, error: 'conflict' });
    expect(await nextItem(socket)).toMatchObject({ ok: false, error: 'no_work' });
    // The other answer is not this rater's to rate.
    const other =
      (await t.storage.work.progress(studyId, new Date())).candidates.find((c) => c.itemId !== itemId)?.itemId ?? '';
    expect(await submitRating(socket, other)).toMatchObject({ ok: false, error: 'not_found' });
    expect(await t.storage.work.listRatings(studyId)).toHaveLength(1);
  });

  it('only raters of an open study get work', async () => {
    const studyId = await ratingStudy(1, {});
    const anonymous = await t.connect();
    expect(await nextItem(anonymous)).toMatchObject({ ok: false, error: 'unauthenticated' });
    expect(await nextItem(await rater(studyId, 'actor'))).toMatchObject({ ok: false, error: 'forbidden' });
    const socket = await rater(studyId);
    expect((await call(t.app, t.researcher, 'POST', `/api/studies/${studyId}/pause`)).status).toBe(200);
    expect(await nextItem(socket)).toMatchObject({ ok: false, error: 'study_closed' });
  });

  it('a lapsed lease returns the answer to the queue, and the first rater can no longer rate it', async () => {
    const studyId = await ratingStudy(1, { raterOverlap: 1, leaseMinutes: 30 });
    const cookies = [(await joinAs(t, 'rater', { studyId })).cookie, (await joinAs(t, 'rater', { studyId })).cookie];
    const item = itemOf(await nextItem(await t.connect(cookies[0] ?? '')));
    expect(await nextItem(await t.connect(cookies[1] ?? ''))).toMatchObject({ ok: false, error: 'no_work' });
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 31 * 60_000);
    // Half an hour later both come back (new connections: the client drops sockets whose heartbeat is that old).
    const [first, second] = [await t.connect(cookies[0] ?? ''), await t.connect(cookies[1] ?? '')];
    expect(itemOf(await nextItem(second)).itemId).toBe(item.itemId);
    expect(await submitRating(first, item.itemId)).toMatchObject({ ok: false, error: 'not_found' });
    expect(await submitRating(second, item.itemId)).toMatchObject({ ok: true, data: { rated: 1 } });
  });
});

describe('t.researcher routes', () => {
  it('validate settings, guard transitions and report progress; raters are refused', async () => {
    const studyId = await ratingStudy(0, {});
    const bad = await call(t.app, t.researcher, 'PUT', `/api/studies/${studyId}/settings`, {
      models: ['nope'],
      records: { kind: 'list', problemIds: ['problem_9_x'] },
      goldRate: 2,
    });
    expect(bad.status).toBe(400);
    expect((bad.body as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual(['$.goldRate']);
    const undeclared = await call(t.app, t.researcher, 'PUT', `/api/studies/${studyId}/settings`, {
      models: ['nope'],
      records: { kind: 'list', problemIds: ['problem_9_x'] },
    });
    expect(undeclared).toMatchObject({ status: 409, body: { error: 'conflict' } });
    await call(t.app, t.researcher, 'POST', `/api/studies/${studyId}/pause`);
    const invalid = await call(t.app, t.researcher, 'PUT', `/api/studies/${studyId}/settings`, {
      models: ['nope'],
      records: { kind: 'list', problemIds: ['problem_9_x'] },
    });
    expect(invalid.status).toBe(400);
    expect((invalid.body as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual([
      '$.models[0]',
      '$.records.problemIds[0]',
    ]);
    expect((await call(t.app, t.researcher, 'POST', `/api/studies/${studyId}/close`)).body).toMatchObject({
      settings: { status: 'closed' },
    });
    // study_closed has one status everywhere (shared/errors.ts): 403, as for a participant joining a closed study.
    expect(await call(t.app, t.researcher, 'POST', `/api/studies/${studyId}/open`)).toMatchObject({
      status: 403,
      body: { error: 'study_closed' },
    });
    expect((await call(t.app, t.researcher, 'GET', `/api/studies/${studyId}/assignments`)).body).toMatchObject({
      status: 'closed',
      candidates: [],
    });
    expect((await call(t.app, t.researcher, 'GET', '/api/studies/nope/settings')).status).toBe(404);

    const { cookie } = await joinAs(t, 'rater', { studyId });
    expect((await call(t.app, cookie, 'GET', `/api/studies/${studyId}/assignments`)).status).toBe(403);
    expect((await call(t.app, null, 'GET', `/api/studies/${studyId}/settings`)).status).toBe(401);
  });
});
