import { join as joinPath } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParticipantJourney } from '../../shared/schemas/participant-outcome.ts';
import { request, type TestSocket } from '../support/live-app.ts';
import { playEpisode } from '../support/live-actor.ts';
import { joinFromProlific, prolificPid } from '../support/prolific-join.ts';
import { addBatchAnswers, nextItem, openRatingStudy } from '../support/rating-study.ts';
import { startScriptedStudyApp, type ScriptedStudyApp } from '../support/scripted-study-app.ts';
import { tempDir } from '../support/temp-files.ts';

/**
 * Participants get paid: over real HTTP and Socket.IO on a real SQLite file, each way a task ends is stored with its
 * code and shown again to the same person on a fresh browser; screening, the rater's out-of-work policies and the
 * Prolific id format check.
 */

const dir = tempDir('prefdisco-participant-outcomes-');
let t: ScriptedStudyApp;

const CODES = { completed: 'C-DONE', failedAttention: 'C-ATTN', screenedOut: 'C-SCREEN', noWork: 'C-NOWORK' };
const URLS = {
  completed: 'https://app.prolific.com/submissions/complete?cc=C-DONE',
  screenedOut: 'https://app.prolific.com/submissions/complete?cc=C-SCREEN',
  noWork: 'https://app.prolific.com/submissions/complete?cc=C-NOWORK',
};

async function inject(method: 'GET' | 'PUT' | 'POST', path: string, cookie: string | null, payload?: object) {
  const res = await t.app.inject({
    method,
    url: path,
    ...(cookie ? { headers: { cookie } } : {}),
    ...(payload === undefined ? {} : { payload }),
  });
  return { status: res.statusCode, body: res.json<Record<string, unknown>>(), cookies: res.cookies };
}

/** Opens an invitation link as a browser with `cookie` (none: a fresh browser) would. */
async function joinWith(code: string, params: Record<string, string>, cookie: string | null = null) {
  const res = await inject('POST', `/api/join/${code}`, cookie, params);
  const session = res.cookies.find((c) => c.name === 'pd_session');
  return { ...res, cookie: session ? `pd_session=${session.value}` : null };
}

const join = (studyId: string, role: 'actor' | 'rater', n: number) => joinFromProlific(t, studyId, role, n);

async function journey(cookie: string): Promise<ParticipantJourney> {
  const res = await inject('GET', '/api/participant/journey', cookie);
  expect(res.status).toBe(200);
  return res.body as unknown as ParticipantJourney;
}

async function settle(studyId: string, settings: object): Promise<void> {
  expect((await inject('PUT', `/api/studies/${studyId}/settings`, t.researcher, settings)).status).toBe(200);
  const opened = await inject('POST', `/api/studies/${studyId}/open`, t.researcher);
  expect([200, 409]).toContain(opened.status);
}

/** A rating-only study with `answers` stored answers to rate, opened with `settings`. */
const ratingStudy = (answers: number, settings: Record<string, unknown>): Promise<string> =>
  openRatingStudy(t, { answers, settings, model: 'scripted' });

async function rateOne(socket: TestSocket): Promise<void> {
  const item = await nextItem(socket);
  if (!item.ok) throw new Error(`expected an item, got ${item.error}`);
  const scores = Object.fromEntries(item.data.rubric.map((c) => [c.preference, 3]));
  await request(socket, 'rating:submit', { itemId: item.data.itemId, scores, correct: 1, secondsSpent: 5 });
}

/** Plays one live episode to its end, answering every question, and rates the answer; returns the completion code. */
async function playToTheEnd(cookie: string): Promise<string | null> {
  const rate = (criteria: string[]) => ({
    scores: Object.fromEntries(criteria.map((c) => [c, 4])),
    correct: 1 as const,
    secondsSpent: 20,
  });
  return (await playEpisode(await t.socket(cookie), { rate })).completionCode;
}

beforeAll(async () => {
  t = await startScriptedStudyApp(joinPath(dir, 'outcomes.sqlite'));
}, 30_000);

afterAll(async () => {
  await t.close();
});

describe('a stored outcome is shown again to the same person', () => {
  it('an actor who finished sees their code and Prolific URL on a fresh browser (same link); the PID alone does not', async () => {
    const problemIds = (await t.storage.research.listStudyRecords(t.sampleStudyId)).slice(0, 1).map((r) => r.problemId);
    await settle(t.sampleStudyId, {
      records: { kind: 'list', problemIds },
      models: ['scripted'],
      simulatedTwin: false,
      quotas: { playsPerActor: 1 },
      completionCodes: CODES,
      completionUrls: URLS,
    });
    const actor = await join(t.sampleStudyId, 'actor', 1);
    expect(await journey(actor.cookie)).toMatchObject({ outcome: null, playsLeft: 1 });
    expect(await playToTheEnd(actor.cookie)).toBe('C-DONE');

    const expected = { outcome: 'completed', completionCode: 'C-DONE', completionUrl: URLS.completed };
    // Their one play is used: the done page offers no "another task".
    expect(await journey(actor.cookie)).toMatchObject({ outcome: expected, playsLeft: 0 });
    // Storage cleared, or another device: the same Prolific link (PID + SESSION_ID) resumes and shows the same end.
    const fresh = await joinWith(actor.code, actor.params);
    expect(fresh).toMatchObject({ status: 200, body: { participantId: actor.participantId, resumed: true } });
    expect((await journey(fresh.cookie ?? '')).outcome).toMatchObject(expected);
    // The PID without the attempt's SESSION_ID proves nothing: refused, no session, no code.
    const guess = await joinWith(actor.code, { PROLIFIC_PID: actor.params['PROLIFIC_PID'] ?? '' });
    expect(guess).toMatchObject({ status: 403, cookie: null, body: { error: 'forbidden' } });
    expect(JSON.stringify(guess.body)).not.toContain('C-DONE');
  }, 60_000);

  it('a rater who reaches the quota keeps the completed (or failed-attention) outcome with its code', async () => {
    const studyId = await ratingStudy(2, {
      raterOverlap: 1,
      quotas: { ratingsPerRater: 2 },
      completionCodes: CODES,
      completionUrls: URLS,
    });
    const rater = await join(studyId, 'rater', 2);
    const socket = await t.socket(rater.cookie);
    await rateOne(socket);
    expect(await journey(rater.cookie)).toMatchObject({ outcome: null, playsLeft: null });
    await rateOne(socket);
    expect((await journey(rater.cookie)).outcome).toMatchObject({
      outcome: 'completed',
      completionCode: 'C-DONE',
      completionUrl: URLS.completed,
    });
    const again = await joinWith(rater.code, rater.params);
    expect((await journey(again.cookie ?? '')).outcome).toMatchObject({
      outcome: 'completed',
      completionCode: 'C-DONE',
    });
  });
});

describe('screening', () => {
  it('"no" ends with the screened-out outcome, code and URL, stored; no work is handed out; "yes" stores nothing', async () => {
    const studyId = await ratingStudy(2, {
      screeningQuestion: 'Are you a fluent English speaker?',
      completionCodes: CODES,
      completionUrls: URLS,
    });
    const yes = await join(studyId, 'rater', 3);
    expect(await journey(yes.cookie)).toMatchObject({
      outcome: null,
      screeningQuestion: 'Are you a fluent English speaker?',
    });
    const answeredYes = await inject('POST', '/api/participant/screening', yes.cookie, { answer: 'yes' });
    expect(answeredYes).toMatchObject({ status: 200, body: { outcome: null } });
    expect((await nextItem(await t.socket(yes.cookie))).ok).toBe(true);

    const no = await join(studyId, 'rater', 4);
    const answeredNo = await inject('POST', '/api/participant/screening', no.cookie, { answer: 'no' });
    expect(answeredNo).toMatchObject({
      status: 200,
      body: { outcome: { outcome: 'screened_out', completionCode: 'C-SCREEN', completionUrl: URLS.screenedOut } },
    });
    // Changing their mind later changes nothing, and the queue refuses them whatever their browser asks.
    expect(
      (await inject('POST', '/api/participant/screening', no.cookie, { answer: 'yes' })).body['outcome'],
    ).toMatchObject({ outcome: 'screened_out' });
    expect(await nextItem(await t.socket(no.cookie))).toMatchObject({ ok: false, error: 'no_work' });
    // Returning on a fresh browser with the same link: the same end.
    const back = await joinWith(no.code, no.params);
    expect((await journey(back.cookie ?? '')).outcome).toMatchObject({
      outcome: 'screened_out',
      completionCode: 'C-SCREEN',
    });
  });

  it('is refused where the study asks no question, and bad answers are invalid_payload', async () => {
    const studyId = await ratingStudy(0, {});
    const rater = await join(studyId, 'rater', 5);
    expect(await inject('POST', '/api/participant/screening', rater.cookie, { answer: 'no' })).toMatchObject({
      status: 409,
      body: { error: 'conflict' },
    });
    expect((await inject('POST', '/api/participant/screening', rater.cookie, { answer: 'maybe' })).status).toBe(400);
    expect((await inject('POST', '/api/participant/screening', null, { answer: 'no' })).status).toBe(401);
    expect((await journey(rater.cookie)).outcome).toBeNull();
  });
});

describe('a rater with quota left and nothing to rate', () => {
  it("policy 'code' ends their task with the noWork outcome, code and URL", async () => {
    const studyId = await ratingStudy(1, {
      raterOverlap: 1,
      quotas: { ratingsPerRater: 5 },
      outOfWork: { policy: 'code', waitMinutes: 5 },
      completionCodes: CODES,
      completionUrls: URLS,
    });
    const first = await join(studyId, 'rater', 6);
    await rateOne(await t.socket(first.cookie));
    const late = await join(studyId, 'rater', 7);
    expect(await nextItem(await t.socket(late.cookie))).toMatchObject({ ok: false, error: 'no_work' });
    expect(await journey(late.cookie)).toMatchObject({
      outcome: { outcome: 'no_work', completionCode: 'C-NOWORK', completionUrl: URLS.noWork },
      outOfWork: { policy: 'code', waitMinutes: 5 },
    });
  });

  it("policy 'wait' stores nothing, and the rater's next check gets the answer that arrived meanwhile", async () => {
    const studyId = await ratingStudy(1, {
      raterOverlap: 1,
      quotas: { ratingsPerRater: 5 },
      outOfWork: { policy: 'wait', waitMinutes: 2 },
      completionCodes: CODES,
    });
    const first = await join(studyId, 'rater', 8);
    await rateOne(await t.socket(first.cookie));
    const waiting = await join(studyId, 'rater', 9);
    const socket = await t.socket(waiting.cookie);
    expect(await nextItem(socket)).toMatchObject({ ok: false, error: 'no_work' });
    expect(await journey(waiting.cookie)).toMatchObject({
      outcome: null,
      outOfWork: { policy: 'wait', waitMinutes: 2 },
    });
    await addBatchAnswers(t, studyId, { from: 1, count: 1, model: 'scripted' });
    expect(await nextItem(socket)).toMatchObject({ ok: true });
  });
});

describe('a rater at their quota without a stored end', () => {
  it('gets the completed outcome when the t.researcher lowered the quota below their count', async () => {
    const base = { raterOverlap: 1, completionCodes: CODES, completionUrls: URLS };
    const studyId = await ratingStudy(3, { ...base, quotas: { ratingsPerRater: 5 } });
    const rater = await join(studyId, 'rater', 11);
    const socket = await t.socket(rater.cookie);
    await rateOne(socket);
    await rateOne(socket);
    expect((await inject('POST', `/api/studies/${studyId}/pause`, t.researcher)).status).toBe(200);
    await settle(studyId, { condition: 'no_prompt', models: ['scripted'], ...base, quotas: { ratingsPerRater: 2 } });
    expect(await nextItem(socket)).toMatchObject({ ok: false, error: 'no_work' });
    expect((await journey(rater.cookie)).outcome).toMatchObject({ outcome: 'completed', completionCode: 'C-DONE' });
  });
});

describe('the Prolific id format', () => {
  it('with requireProlificIdFormat, a PID that is not 24 hex characters is refused and nothing is stored', async () => {
    const studyId = await ratingStudy(1, { requireProlificIdFormat: true });
    const invite = await t.storage.people.createInvite({ studyId, role: 'rater' });
    const bad = await joinWith(invite.code, { PROLIFIC_PID: 'not-a-prolific-id', SESSION_ID: 's' });
    expect(bad).toMatchObject({
      status: 400,
      cookie: null,
      body: {
        error: 'invalid_payload',
        message: expect.stringMatching(/Prolific ID is 24 letters a–f and digits.*open the study from Prolific again/),
        issues: [{ path: '$.PROLIFIC_PID' }],
      },
    });
    const progress = await inject('GET', `/api/studies/${studyId}/assignments`, t.researcher);
    expect(progress.body['raters']).toEqual([]);
    // A real-looking id joins; a link without any PID (opened outside Prolific) is not this check's business.
    expect((await joinWith(invite.code, { PROLIFIC_PID: prolificPid(10), SESSION_ID: 's' })).status).toBe(200);
    expect((await joinWith(invite.code, {})).status).toBe(200);
  });

  it('without it, any short id is taken', async () => {
    const studyId = await ratingStudy(0, {});
    const invite = await t.storage.people.createInvite({ studyId, role: 'rater' });
    expect((await joinWith(invite.code, { PROLIFIC_PID: 'not-a-prolific-id' })).status).toBe(200);
  });
});
