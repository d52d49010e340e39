import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Ack } from '../../shared/protocol/acks.ts';
import type { AssignmentProgress, BlindRatingItem, RatingSubmitted } from '../../shared/schemas/live-study.ts';
import { connectSocket, joinAs, signInResearcher, type TestSocket } from '../support/auth-helpers.ts';
import { exampleRecord } from '../support/records.ts';
import { call, episodeLog, startWorkApp, type WorkApp } from '../support/study-work-app.ts';
import { tempDir } from '../support/temp-files.ts';

const dir = tempDir();
const CRITERIA = ['Comfort with Polygon Decomposition', 'Honeycomb Analogies', 'Notation Density'];
const SCORES = Object.fromEntries(CRITERIA.map((c, i) => [c, i + 2]));
let t: WorkApp;
let researcher: string;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  t = await startWorkApp(dir, ['model-a']);
  researcher = (await signInResearcher(t)).cookie;
});
afterEach(() => {
  vi.useRealTimers();
  for (const s of sockets.splice(0)) s.close();
});
afterAll(async () => {
  await t.close();
});

let studies = 0;
/** A rating study with `answers` stored batch episodes as candidates, opened with the given settings. */
async function ratingStudy(answers: number, over: Record<string, unknown>): Promise<string> {
  const name = `Ratings ${++studies}`;
  const records = [exampleRecord(0), exampleRecord(1)];
  const { studyId } = await t.storage.importBenchmark({
    studyName: name,
    sourceName: 'b.jsonl',
    sha256: name,
    bytes: 1,
    metadata: null,
    records: records.map((record, i) => ({ line: i + 1, task: 'math', record })),
  });
  const put = await call(t.app, researcher, 'PUT', `/api/studies/${studyId}/settings`, {
    condition: 'no_prompt',
    models: ['model-a'],
    ...over,
  });
  expect(put.status).toBe(200);
  const episodeIds: string[] = [];
  for (let i = 0; i < answers; i++) {
    const id = `${name}-episode-${i}`;
    const { summary, events } = episodeLog({
      id,
      problemId: records[i % 2]?.problem_id ?? '',
      personaId: 'okafor_3fa9c21b',
      mode: 'no_prompt',
      userType: 'no_user_interaction',
      userSeat: 'none',
      assistantModel: 'model-a',
      judgeModel: 'scripted',
      simulatorModel: null,
      finalAnswer: `The sum is 720 (answer ${i}).`,
    });
    await t.storage.saveEpisode(summary, events);
    episodeIds.push(id);
  }
  if (answers > 0) {
    expect(
      (await call(t.app, researcher, 'POST', `/api/studies/${studyId}/rating-candidates`, { episodeIds })).body,
    ).toEqual({ added: answers, unchanged: 0 });
  }
  expect((await call(t.app, researcher, 'POST', `/api/studies/${studyId}/open`)).status).toBe(200);
  return studyId;
}

async function connect(cookie: string): Promise<TestSocket> {
  const socket = await connectSocket(t.url, { cookie });
  sockets.push(socket);
  return socket;
}

async function rater(studyId: string, role: 'rater' | 'actor' = 'rater'): Promise<TestSocket> {
  return connect((await joinAs(t, role, { studyId })).cookie);
}

const next = (s: TestSocket): Promise<Ack<BlindRatingItem>> => s.timeout(5000).emitWithAck('rating:next', {});
const submit = (s: TestSocket, itemId: string, over: Record<string, unknown> = {}): Promise<Ack<RatingSubmitted>> =>
  s
    .timeout(5000)
    .emitWithAck('rating:submit', { itemId, scores: SCORES, correct: 1, secondsSpent: 30, ...over } as never);

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
      const acks = await Promise.all(raters.map((s) => next(s)));
      const progress = (await call(t.app, researcher, 'GET', `/api/studies/${studyId}/assignments`))
        .body as AssignmentProgress;
      for (const c of progress.candidates) expect(c.rated + c.active).toBeLessThanOrEqual(2);
      const withItems = acks.flatMap((a, i) => (a.ok ? [{ i, itemId: a.data.itemId }] : []));
      for (const a of acks) if (!a.ok) expect(a.error).toBe('no_work');
      for (const { i, itemId } of withItems) {
        expect(ratedBy.get(itemId)?.has(i) ?? false).toBe(false);
        ratedBy.set(itemId, (ratedBy.get(itemId) ?? new Set()).add(i));
      }
      lastAcks = await Promise.all(withItems.map(({ i, itemId }) => submit(raters[i] as TestSocket, itemId)));
      for (const a of lastAcks) expect(a.ok).toBe(true);
    }
    expect([...ratedBy.values()].map((s) => s.size)).toEqual([2, 2, 2]);
    const stored = await t.storage.work.listRatings(studyId);
    expect(stored).toHaveLength(6);
    expect(stored[0]).toMatchObject({ scores: SCORES, correct: 1, secondsSpent: 30, attentionPassed: null });
    for (const s of raters) expect(await next(s)).toMatchObject({ ok: false, error: 'no_work' });
  });

  it('submit refusals carry closed codes; a rater cannot rate twice; the quota ends with the completion code', async () => {
    const studyId = await ratingStudy(2, {
      raterOverlap: 1,
      quotas: { ratingsPerRater: 1 },
      completionCodes: { completed: 'C0DE' },
    });
    const socket = await rater(studyId);
    const { itemId } = itemOf(await next(socket));
    const missing = await submit(socket, itemId, { scores: { [CRITERIA[0] ?? '']: 3 } });
    expect(missing).toMatchObject({ ok: false, error: 'invalid_payload' });
    expect(!missing.ok && missing.issues?.map((i) => i.path).sort()).toEqual([
      '$.scores["Honeycomb Analogies"]',
      '$.scores["Notation Density"]',
    ]);
    const extra = await submit(socket, itemId, { scores: { ...SCORES, Invented: 2 } });
    expect(!extra.ok && extra.issues).toEqual([
      { path: '$.scores["Invented"]', message: 'not a criterion of this rubric' },
    ]);
    expect(await submit(socket, itemId, { scores: { ...SCORES, 'Notation Density': 6 } })).toMatchObject({
      ok: false,
      error: 'invalid_payload',
    });
    expect(await submit(socket, itemId, { correct: 2 })).toMatchObject({ ok: false, error: 'invalid_payload' });
    expect(await submit(socket, 'not-an-item')).toMatchObject({ ok: false, error: 'not_found' });

    expect(await submit(socket, itemId, { justification: 'clear' })).toEqual({
      ok: true,
      data: { rated: 1, quota: 1, completionCode: 'C0DE' },
    });
    expect(await submit(socket, itemId)).toMatchObject({ ok: false, error: 'conflict' });
    expect(await next(socket)).toMatchObject({ ok: false, error: 'no_work' });
    // The other answer is not this rater's to rate.
    const other =
      (await t.storage.work.progress(studyId, new Date())).candidates.find((c) => c.itemId !== itemId)?.itemId ?? '';
    expect(await submit(socket, other)).toMatchObject({ ok: false, error: 'not_found' });
    expect(await t.storage.work.listRatings(studyId)).toHaveLength(1);
  });

  it('only raters of an open study get work', async () => {
    const studyId = await ratingStudy(1, {});
    const anonymous = await connectSocket(t.url);
    sockets.push(anonymous);
    expect(await next(anonymous)).toMatchObject({ ok: false, error: 'unauthenticated' });
    expect(await next(await rater(studyId, 'actor'))).toMatchObject({ ok: false, error: 'forbidden' });
    const socket = await rater(studyId);
    expect((await call(t.app, researcher, 'POST', `/api/studies/${studyId}/pause`)).status).toBe(200);
    expect(await next(socket)).toMatchObject({ ok: false, error: 'study_closed' });
  });

  it('a lapsed lease returns the answer to the queue, and the first rater can no longer rate it', async () => {
    const studyId = await ratingStudy(1, { raterOverlap: 1, leaseMinutes: 30 });
    const cookies = [(await joinAs(t, 'rater', { studyId })).cookie, (await joinAs(t, 'rater', { studyId })).cookie];
    const item = itemOf(await next(await connect(cookies[0] ?? '')));
    expect(await next(await connect(cookies[1] ?? ''))).toMatchObject({ ok: false, error: 'no_work' });
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 31 * 60_000);
    // Half an hour later both come back (new connections: the client drops sockets whose heartbeat is that old).
    const [first, second] = [await connect(cookies[0] ?? ''), await connect(cookies[1] ?? '')];
    expect(itemOf(await next(second)).itemId).toBe(item.itemId);
    expect(await submit(first, item.itemId)).toMatchObject({ ok: false, error: 'not_found' });
    expect(await submit(second, item.itemId)).toMatchObject({ ok: true, data: { rated: 1 } });
  });
});

describe('researcher routes', () => {
  it('validate settings, guard transitions and report progress; raters are refused', async () => {
    const studyId = await ratingStudy(0, {});
    const bad = await call(t.app, researcher, 'PUT', `/api/studies/${studyId}/settings`, {
      models: ['nope'],
      records: { kind: 'list', problemIds: ['problem_9_x'] },
      goldRate: 2,
    });
    expect(bad.status).toBe(400);
    expect((bad.body as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual(['$.goldRate']);
    const undeclared = await call(t.app, researcher, 'PUT', `/api/studies/${studyId}/settings`, {
      models: ['nope'],
      records: { kind: 'list', problemIds: ['problem_9_x'] },
    });
    expect(undeclared).toMatchObject({ status: 409, body: { error: 'conflict' } });
    await call(t.app, researcher, 'POST', `/api/studies/${studyId}/pause`);
    const invalid = await call(t.app, researcher, 'PUT', `/api/studies/${studyId}/settings`, {
      models: ['nope'],
      records: { kind: 'list', problemIds: ['problem_9_x'] },
    });
    expect(invalid.status).toBe(400);
    expect((invalid.body as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual([
      '$.models[0]',
      '$.records.problemIds[0]',
    ]);
    expect((await call(t.app, researcher, 'POST', `/api/studies/${studyId}/close`)).body).toMatchObject({
      settings: { status: 'closed' },
    });
    // study_closed has one status everywhere (shared/errors.ts): 403, as for a participant joining a closed study.
    expect(await call(t.app, researcher, 'POST', `/api/studies/${studyId}/open`)).toMatchObject({
      status: 403,
      body: { error: 'study_closed' },
    });
    expect((await call(t.app, researcher, 'GET', `/api/studies/${studyId}/assignments`)).body).toMatchObject({
      status: 'closed',
      candidates: [],
    });
    expect((await call(t.app, researcher, 'GET', '/api/studies/nope/settings')).status).toBe(404);

    const { cookie } = await joinAs(t, 'rater', { studyId });
    expect((await call(t.app, cookie, 'GET', `/api/studies/${studyId}/assignments`)).status).toBe(403);
    expect((await call(t.app, null, 'GET', `/api/studies/${studyId}/settings`)).status).toBe(401);
  });
});
