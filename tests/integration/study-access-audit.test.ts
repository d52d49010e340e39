import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry, StudyMember } from '../../shared/schemas/study-access.ts';
import { StudyPseudonyms } from '../../server/services/research/pseudonyms.ts';
import { connectSocket, joinAs, signInResearcher, type SignedInResearcher } from '../support/auth-helpers.ts';
import { runningEpisodeSummary } from '../support/episode-summary.ts';
import { tempDir } from '../support/temp-files.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/** Members of a study (who may change them, the last owner) and its audit log (what is recorded, who may read it). */

const dir = tempDir();
let t: TestApp;
let url = '';
let studyId = '';
let owner: SignedInResearcher;
let collaborator: SignedInResearcher;
let viewer: SignedInResearcher;
let stranger: SignedInResearcher;
const LIVE = 'live-audited';
const PROLIFIC_ID = '5f1a2b3c4d5e6f7a8b9c0d1e';

async function call(
  who: SignedInResearcher,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  payload?: object,
) {
  return t.app.inject({
    method,
    url: path,
    headers: { cookie: who.cookie },
    ...(payload === undefined ? {} : { payload }),
  });
}

async function auditLog(): Promise<AuditEntry[]> {
  const res = await call(owner, 'GET', `/api/studies/${studyId}/audit?limit=1000`);
  expect(res.statusCode).toBe(200);
  return (res.json() as { items: AuditEntry[] }).items;
}

beforeAll(async () => {
  t = await startTestApp(dir);
  studyId = (await t.storage.listStudies())[0]?.id ?? '';
  // The first account owns the sample study; the others get their roles from the owner, over HTTP.
  owner = await signInResearcher(t, { username: 'olivia' });
  collaborator = await signInResearcher(t, { username: 'carl' });
  viewer = await signInResearcher(t, { username: 'vera' });
  stranger = await signInResearcher(t, { username: 'sam' });
  await t.storage.live.begin({
    summary: runningEpisodeSummary(LIVE, { userSeat: 'person' }),
    studyId,
    participantId: 'someone',
    assignmentId: null,
    spec: {},
  });
  url = await t.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await t.close();
});

describe('study members', () => {
  it('the owner adds existing accounts (unknown 404, twice 409); every member reads the list, owners first', async () => {
    const base = `/api/studies/${studyId}/members`;
    expect((await call(owner, 'POST', base, { username: 'carl', role: 'collaborator' })).statusCode).toBe(201);
    const added = await call(owner, 'POST', base, { username: 'vera', role: 'viewer' });
    expect(added.statusCode).toBe(201);
    expect((added.json() as { member: StudyMember }).member).toMatchObject({
      researcherId: viewer.researcherId,
      username: 'vera',
      role: 'viewer',
      addedBy: owner.researcherId,
    });
    expect((await call(owner, 'POST', base, { username: 'nobody-by-that-name', role: 'viewer' })).json()).toMatchObject(
      {
        error: 'not_found',
      },
    );
    const twice = await call(owner, 'POST', base, { username: 'vera', role: 'collaborator' });
    expect(twice.statusCode).toBe(409);
    // Only the owner shares; a collaborator is told which role it needs; an outsider does not see the study.
    const byCollaborator = await call(collaborator, 'POST', base, { username: 'sam', role: 'viewer' });
    expect(byCollaborator.statusCode).toBe(403);
    expect(byCollaborator.json()).toMatchObject({ error: 'forbidden', message: expect.stringContaining('owner') });
    expect((await call(stranger, 'GET', base)).json()).toMatchObject({ error: 'not_found', message: 'no such study' });

    const list = await call(viewer, 'GET', base);
    expect(list.statusCode).toBe(200);
    expect((list.json() as { members: StudyMember[] }).members.map((m) => [m.username, m.role])).toEqual([
      ['olivia', 'owner'],
      ['carl', 'collaborator'],
      ['vera', 'viewer'],
    ]);
  });

  it('the last owner cannot be demoted or removed (409); with a second owner they can', async () => {
    const mine = `/api/studies/${studyId}/members/${owner.researcherId}`;
    const demote = await call(owner, 'PUT', mine, { role: 'viewer' });
    expect(demote.statusCode).toBe(409);
    expect(demote.json()).toMatchObject({ error: 'conflict' });
    expect((await call(owner, 'DELETE', mine)).statusCode).toBe(409);

    const carl = `/api/studies/${studyId}/members/${collaborator.researcherId}`;
    expect((await call(owner, 'PUT', carl, { role: 'owner' })).statusCode).toBe(200);
    expect((await call(collaborator, 'PUT', mine, { role: 'collaborator' })).statusCode).toBe(200);
    expect(await t.storage.access.roleOf(studyId, owner.researcherId)).toBe('collaborator');
    // Back as it was, so the owner runs the audit checks below.
    expect((await call(collaborator, 'PUT', mine, { role: 'owner' })).statusCode).toBe(200);
    expect((await call(owner, 'PUT', carl, { role: 'collaborator' })).statusCode).toBe(200);
    const sam = await call(owner, 'POST', `/api/studies/${studyId}/members`, { username: 'sam', role: 'viewer' });
    expect(sam.statusCode).toBe(201);
    expect((await call(owner, 'DELETE', `/api/studies/${studyId}/members/${stranger.researcherId}`)).statusCode).toBe(
      200,
    );
    expect(await t.storage.access.roleOf(studyId, stranger.researcherId)).toBeNull();
  });
});

describe('the audit log', () => {
  it('records each export, settings change, deletion, transcript opened and member change once, with who and when', async () => {
    const started = new Date().toISOString();
    const before = (await auditLog()).length;
    const exported = await call(viewer, 'GET', `/api/studies/${studyId}/export/episodes.csv`);
    expect(exported.statusCode).toBe(200);
    const agreement = await call(viewer, 'GET', `/api/studies/${studyId}/agreement/outcomes.jsonl?resamples=10`);
    expect(agreement.statusCode, agreement.body).toBe(200);
    const settings = await call(collaborator, 'PUT', `/api/studies/${studyId}/settings`, {
      models: ['scripted'],
      consentText: 'Typed consent text that must not reach the log',
    });
    expect(settings.statusCode).toBe(200);
    // A viewer may not read a person's transcript; a collaborator may, and that is logged (HTTP and live watch).
    expect((await call(viewer, 'GET', `/api/episodes/${LIVE}`)).statusCode).toBe(403);
    expect((await call(collaborator, 'GET', `/api/episodes/${LIVE}`)).statusCode).toBe(200);
    const socket = await connectSocket(url, { cookie: collaborator.cookie });
    try {
      expect(await socket.timeout(5000).emitWithAck('episode:watch', { episodeId: LIVE })).toMatchObject({ ok: true });
    } finally {
      socket.close();
    }
    const viewerSocket = await connectSocket(url, { cookie: viewer.cookie });
    try {
      expect(await viewerSocket.timeout(5000).emitWithAck('episode:watch', { episodeId: LIVE })).toMatchObject({
        ok: false,
        error: 'forbidden',
      });
    } finally {
      viewerSocket.close();
    }
    const participant = await joinAs(t, 'actor', { studyId, prolificPid: PROLIFIC_ID });
    const pseudonym = (await StudyPseudonyms.of(t.storage, studyId)).name('participant', participant.participantId);
    const deleted = await call(owner, 'POST', `/api/studies/${studyId}/participants/delete`, {
      prolificId: PROLIFIC_ID,
    });
    expect(deleted.statusCode).toBe(200);

    const entries = (await auditLog()).slice(0, (await auditLog()).length - before);
    expect(entries.map((e) => [e.action, e.username, e.detail]).reverse()).toEqual([
      ['export', 'vera', 'episodes (csv)'],
      ['export', 'vera', 'agreement outcomes (jsonl)'],
      ['change_settings', 'carl', expect.stringMatching(/^(?=.*models)(?=.*consentText).*$/)],
      ['open_transcript', 'carl', `episode ${LIVE} (running)`],
      ['open_transcript', 'carl', `episode ${LIVE} (watched live)`],
      ['delete_participant', 'olivia', expect.stringContaining(pseudonym ?? 'missing')],
    ]);
    for (const entry of entries) {
      expect(entry.at >= started && entry.at <= new Date().toISOString(), entry.at).toBe(true);
      expect(entry.researcherId).toBe(
        { vera: viewer, carl: collaborator, olivia: owner }[entry.username]?.researcherId,
      );
    }
    const text = JSON.stringify(await auditLog());
    expect(text).not.toContain(PROLIFIC_ID);
    expect(text).not.toContain('Typed consent text');
  });

  it('holds the member changes, newest first, and only the owner reads it', async () => {
    const members = (await auditLog()).filter((e) => e.action.endsWith('_member'));
    expect(members.map((e) => [e.action, e.detail]).reverse()).toEqual([
      ['add_member', 'carl as collaborator'],
      ['add_member', 'vera as viewer'],
      ['change_member', 'carl: collaborator → owner'],
      ['change_member', 'olivia: owner → collaborator'],
      ['change_member', 'olivia: collaborator → owner'],
      ['change_member', 'carl: owner → collaborator'],
      ['add_member', 'sam as viewer'],
      ['remove_member', 'sam (was viewer)'],
    ]);
    const ids = (await auditLog()).map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const byCollaborator = await call(collaborator, 'GET', `/api/studies/${studyId}/audit`);
    expect(byCollaborator.statusCode).toBe(403);
    expect(byCollaborator.json()).toMatchObject({ error: 'forbidden', message: expect.stringContaining('owner') });
    expect((await call(viewer, 'GET', `/api/studies/${studyId}/audit`)).statusCode).toBe(403);
    expect((await call(stranger, 'GET', `/api/studies/${studyId}/audit`)).statusCode).toBe(404);
  });

  it('keeps its entries when a participant of the study withdraws (deletion never touches the log)', async () => {
    const total = (await auditLog()).length;
    const participant = await joinAs(t, 'actor', { studyId, prolificPid: 'another-person' });
    await t.app.inject({
      method: 'POST',
      url: '/api/participant/withdraw',
      headers: { cookie: participant.cookie },
    });
    expect((await auditLog()).length).toBe(total);
    expect(total).toBeGreaterThan(0);
  });
});
