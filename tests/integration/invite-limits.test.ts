import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Invite } from '../../shared/schemas/api-studies.ts';
import {
  connectSocket,
  joinViaHttp,
  signInResearcher,
  type CookieHeader,
  type HttpAuthResult,
} from '../support/auth-helpers.ts';
import { settings, studyWithRecords } from '../support/study-work-fixtures.ts';
import { startWorkApp, type WorkApp } from '../support/study-work-app.ts';
import { tempDir } from '../support/temp-files.ts';
import { grantStudyRole } from '../support/study-roles.ts';

// Invitation links with a label, a participant cap, an expiry and two ways of revoking, driven through the real
// routes on a listening server: the console's API, then people joining (docs/security.md, "Invitation links").

const dir = tempDir();
let t: WorkApp;
let researcher: CookieHeader;
let studyId: string;
let problemIds: string[];

beforeAll(async () => {
  t = await startWorkApp(dir);
  const signedIn = await signInResearcher(t);
  researcher = signedIn.cookie;
  ({ studyId, problemIds } = await studyWithRecords(t.storage, 'Invite limits', 3));
  await grantStudyRole(t.storage, studyId, signedIn.researcherId);
  await t.storage.work.saveSettings(
    studyId,
    settings({ leaseMinutes: 30 }),
    new Date(),
    problemIds.map((problemId) => ({ problemId, model: 'model-a' })),
  );
});
afterAll(async () => {
  await t.close();
});

const invitesUrl = () => `/api/studies/${studyId}/invites`;

async function api(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) {
  const res = await t.app.inject({
    method,
    url,
    headers: { cookie: researcher },
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
  return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
}

async function createInvite(body: Record<string, unknown>): Promise<Invite> {
  const res = await api('POST', invitesUrl(), body);
  expect(res.status).toBe(201);
  return res.body.invite as Invite;
}

async function listed(code: string): Promise<Invite | undefined> {
  const res = await api('GET', invitesUrl());
  return (res.body.invites as Invite[]).find((i) => i.code === code);
}

const idOf = (r: HttpAuthResult): string => (r.body as { participantId: string }).participantId;
const inFuture = (ms: number) => new Date(Date.now() + ms).toISOString();

async function me(cookie: CookieHeader): Promise<number> {
  return (await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode;
}

describe('the console’s invitation links', () => {
  it('create, list and edit a link’s label, cap and expiry', async () => {
    const expiresAt = inFuture(86_400_000);
    const invite = await createInvite({ role: 'actor', label: '  Pilot wave ', maxParticipants: 20, expiresAt });
    expect(invite).toMatchObject({
      role: 'actor',
      label: 'Pilot wave',
      maxParticipants: 20,
      expiresAt,
      participants: 0,
      midTask: 0,
      revoked: false,
      revokeMode: null,
      path: `/join/${invite.code}`,
    });
    expect(await listed(invite.code)).toEqual(invite);

    const edited = await api('PATCH', `${invitesUrl()}/${invite.code}`, { maxParticipants: null, label: '' });
    expect(edited).toMatchObject({ status: 200, body: { invite: { label: '', maxParticipants: null, expiresAt } } });
    // An offset is accepted and stored in UTC.
    const moved = await api('PATCH', `${invitesUrl()}/${invite.code}`, { expiresAt: '2099-06-01T12:00:00+02:00' });
    expect(moved.body).toMatchObject({ invite: { expiresAt: '2099-06-01T10:00:00.000Z' } });

    // A plain link still needs nothing but the role.
    expect(await createInvite({ role: 'rater' })).toMatchObject({ label: '', maxParticipants: null, expiresAt: null });
  });

  it('refuses bad limits, naming the field, and stores nothing', async () => {
    const before = ((await api('GET', invitesUrl())).body.invites as Invite[]).length;
    const cases: [Record<string, unknown>, string][] = [
      [{ role: 'actor', label: 'x'.repeat(201) }, '$.label'],
      [{ role: 'actor', label: 'two\nlines' }, '$.label'],
      [{ role: 'actor', maxParticipants: 0 }, '$.maxParticipants'],
      [{ role: 'actor', maxParticipants: 2.5 }, '$.maxParticipants'],
      [{ role: 'actor', expiresAt: 'next week' }, '$.expiresAt'],
      [{ role: 'actor', expiresAt: new Date(Date.now() - 60_000).toISOString() }, '$.expiresAt'],
    ];
    for (const [body, path] of cases) {
      const res = await api('POST', invitesUrl(), body);
      expect(res, JSON.stringify(body)).toMatchObject({ status: 400, body: { error: 'invalid_payload' } });
      expect((res.body.issues as { path: string }[]).map((i) => i.path)).toContain(path);
    }
    expect(((await api('GET', invitesUrl())).body.invites as Invite[]).length).toBe(before);

    const invite = await createInvite({ role: 'actor' });
    expect(await api('PATCH', `${invitesUrl()}/${invite.code}`, {})).toMatchObject({ status: 400 });
    expect(await api('PATCH', `${invitesUrl()}/${invite.code}`, { role: 'rater' })).toMatchObject({ status: 400 });
    const other = await t.storage.createStudy({ name: 'Another study' });
    expect(await api('PATCH', `/api/studies/${other.id}/invites/${invite.code}`, { label: 'moved' })).toMatchObject({
      status: 404,
      body: { error: 'not_found' },
    });
    expect(await api('DELETE', `${invitesUrl()}/${invite.code}`, { mode: 'everyone' })).toMatchObject({
      status: 400,
    });
    expect(await listed(invite.code)).toMatchObject({ label: '', revoked: false });
  });
});

describe('joining through a limited link', () => {
  it('admits new people up to the cap; those who joined come back; the count is distinct people', async () => {
    const invite = await createInvite({ role: 'actor', maxParticipants: 2 });
    const a = { PROLIFIC_PID: 'cap-a', STUDY_ID: 's', SESSION_ID: 'session-a' };
    const first = await joinViaHttp(t.app, invite.code, a);
    const second = await joinViaHttp(t.app, invite.code);
    expect([first.status, second.status]).toEqual([200, 200]);

    const third = await joinViaHttp(t.app, invite.code, { PROLIFIC_PID: 'cap-c', SESSION_ID: 'session-c' });
    expect(third).toMatchObject({
      status: 404,
      cookie: null,
      body: { error: 'invalid_invite', message: 'this invitation link has reached its limit of 2 participants' },
    });
    expect(await joinViaHttp(t.app, invite.code)).toMatchObject({ status: 404, body: { error: 'invalid_invite' } });

    // Back on a new browser with Prolific's link, and in the same browser without a PID: both resume.
    expect(await joinViaHttp(t.app, invite.code, a)).toMatchObject({
      status: 200,
      body: { participantId: idOf(first), resumed: true },
    });
    expect(await joinViaHttp(t.app, invite.code, {}, second.cookie ?? '')).toMatchObject({
      status: 200,
      body: { participantId: idOf(second), resumed: true },
    });
    expect(await listed(invite.code)).toMatchObject({ participants: 2, maxParticipants: 2 });

    // Raising the cap lets the next person in.
    await api('PATCH', `${invitesUrl()}/${invite.code}`, { maxParticipants: 3 });
    expect(await joinViaHttp(t.app, invite.code, { PROLIFIC_PID: 'cap-c', SESSION_ID: 'session-c' })).toMatchObject({
      status: 200,
      body: { resumed: false },
    });
  });

  it('an expired link admits nobody new; those who joined before it expired come back', async () => {
    const invite = await createInvite({ role: 'rater', expiresAt: inFuture(3_600_000) });
    const early = { PROLIFIC_PID: 'exp-early', SESSION_ID: 'session-early' };
    const joined = await joinViaHttp(t.app, invite.code, early);
    const anonymous = await joinViaHttp(t.app, invite.code);
    expect([joined.status, anonymous.status]).toEqual([200, 200]);

    // The route refuses a past expiry, so time is moved on by setting one in storage.
    const past = new Date(Date.now() - 1000).toISOString();
    await t.storage.people.updateInvite(invite.code, { expiresAt: past });
    const late = await joinViaHttp(t.app, invite.code, { PROLIFIC_PID: 'exp-late', SESSION_ID: 'session-late' });
    expect(late).toMatchObject({ status: 404, cookie: null, body: { error: 'invalid_invite' } });
    expect((late.body as { message: string }).message).toMatch(/^this invitation link expired on .* UTC/);

    expect(await joinViaHttp(t.app, invite.code, early)).toMatchObject({
      status: 200,
      body: { participantId: idOf(joined), resumed: true },
    });
    expect(await joinViaHttp(t.app, invite.code, {}, anonymous.cookie ?? '')).toMatchObject({
      status: 200,
      body: { participantId: idOf(anonymous), resumed: true },
    });
    expect(await listed(invite.code)).toMatchObject({ participants: 2 });
  });
});

describe('revoking a link', () => {
  it('by default lets people who joined finish: their sessions stay and the link still resumes them', async () => {
    const invite = await createInvite({ role: 'actor' });
    const pid = { PROLIFIC_PID: 'finish-a', SESSION_ID: 'session-finish-a' };
    const withPid = await joinViaHttp(t.app, invite.code, pid);
    const anonymous = await joinViaHttp(t.app, invite.code);
    await t.storage.work.leaseNextPlay(studyId, idOf(withPid), new Date());
    expect(await listed(invite.code)).toMatchObject({ participants: 2, midTask: 1 });

    // No body: the default mode.
    expect(await api('DELETE', `${invitesUrl()}/${invite.code}`)).toMatchObject({
      status: 200,
      body: { ok: true },
    });
    expect(await listed(invite.code)).toMatchObject({ revoked: true, revokeMode: 'finish', participants: 2 });

    expect(await me(withPid.cookie ?? '')).toBe(200);
    expect(await me(anonymous.cookie ?? '')).toBe(200);
    expect(await joinViaHttp(t.app, invite.code, pid)).toMatchObject({
      status: 200,
      body: { participantId: idOf(withPid), resumed: true },
    });
    expect(await joinViaHttp(t.app, invite.code, {}, anonymous.cookie ?? '')).toMatchObject({
      status: 200,
      body: { participantId: idOf(anonymous), resumed: true },
    });
    expect(await joinViaHttp(t.app, invite.code, { PROLIFIC_PID: 'finish-new' })).toMatchObject({
      status: 404,
      body: { error: 'invalid_invite', message: expect.stringMatching(/withdrawn/) },
    });
    expect(await listed(invite.code)).toMatchObject({ participants: 2 });
  });

  it('with "lock" ends the sessions of everyone who joined, closes their sockets and keeps them out', async () => {
    const invite = await createInvite({ role: 'actor', label: 'to lock' });
    const otherLink = await createInvite({ role: 'actor' });
    const pid = { PROLIFIC_PID: 'lock-a', SESSION_ID: 'session-lock-a' };
    const busy = await joinViaHttp(t.app, invite.code, pid);
    const idle = await joinViaHttp(t.app, invite.code);
    const bystander = await joinViaHttp(t.app, otherLink.code);
    await t.storage.work.leaseNextPlay(studyId, idOf(busy), new Date());
    expect(await listed(invite.code)).toMatchObject({ participants: 2, midTask: 1 });

    const socket = await connectSocket(t.url, { cookie: busy.cookie ?? '' });
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    expect(await api('DELETE', `${invitesUrl()}/${invite.code}`, { mode: 'lock' })).toMatchObject({
      status: 200,
    });
    expect(await disconnected).toBe('io server disconnect');
    expect(await listed(invite.code)).toMatchObject({ revoked: true, revokeMode: 'lock' });

    expect(await me(busy.cookie ?? '')).toBe(401);
    expect(await me(idle.cookie ?? '')).toBe(401);
    expect(await me(bystander.cookie ?? '')).toBe(200);
    expect(await joinViaHttp(t.app, invite.code, pid)).toMatchObject({
      status: 404,
      cookie: null,
      body: { error: 'invalid_invite' },
    });
    expect(await joinViaHttp(t.app, invite.code, {}, idle.cookie ?? '')).toMatchObject({ status: 404, cookie: null });
    // Another link of the study does not let them back in either.
    expect(await joinViaHttp(t.app, otherLink.code, pid)).toMatchObject({
      status: 403,
      cookie: null,
      body: { error: 'forbidden', message: expect.stringMatching(/withdrawn the link you joined/) },
    });
    // A 'finish' afterwards cannot undo the lock.
    await api('DELETE', `${invitesUrl()}/${invite.code}`, { mode: 'finish' });
    expect(await listed(invite.code)).toMatchObject({ revokeMode: 'lock' });
    expect(await me(bystander.cookie ?? '')).toBe(200);
  });
});
