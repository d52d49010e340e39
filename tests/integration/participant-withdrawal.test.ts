import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import { joinViaHttp, signInResearcher } from '../support/auth-helpers.ts';
import { runCli } from '../support/run-cli.ts';
import { studyWithRecords } from '../support/study-work-fixtures.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { tempDir } from '../support/temp-files.ts';

/** The two doors to deletion over real HTTP: a participant withdraws; a researcher deletes one by Prolific id. */
const dir = tempDir();
let t: TestApp;
let studyId: string;
let researcherCookie: string;

async function joinWithPid(pid: string): Promise<{ cookie: string; participantId: string }> {
  const invite = await t.storage.people.createInvite({ studyId, role: 'actor' });
  const joined = await joinViaHttp(t.app, invite.code, { PROLIFIC_PID: pid, STUDY_ID: 'ps', SESSION_ID: `s-${pid}` });
  expect(joined.status).toBe(200);
  const participantId = await t.storage.deletions.findParticipantIdByProlificPid(studyId, pid);
  return { cookie: joined.cookie as string, participantId: participantId as string };
}

beforeAll(async () => {
  t = await startTestApp(dir);
  studyId = (await t.storage.listStudies())[0]?.id as string;
  researcherCookie = (await signInResearcher(t)).cookie;
});
afterAll(async () => {
  await t.close();
});

describe('withdrawal and deletion over HTTP', () => {
  it('a participant withdraws: their row and session are gone, the cookie is cleared, the next call is refused', async () => {
    const me = await joinWithPid('5f0c0ffee0c0ffee0c0ffee1');
    const before = await t.app.inject({
      method: 'GET',
      url: '/api/participant/journey',
      headers: { cookie: me.cookie },
    });
    expect(before.statusCode).toBe(200);

    const res = await t.app.inject({
      method: 'POST',
      url: '/api/participant/withdraw',
      headers: { cookie: me.cookie },
    });

    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true });
    expect(String(res.headers['set-cookie'])).toMatch(/Expires=Thu, 01 Jan 1970|Max-Age=0/);
    expect(await t.storage.people.getParticipant(me.participantId)).toBeNull();
    const after = await t.app.inject({
      method: 'GET',
      url: '/api/participant/journey',
      headers: { cookie: me.cookie },
    });
    expect(after.statusCode).toBe(401);
    expect((await t.storage.deletions.listDeletions(studyId)).at(-1)?.deletedBy).toBe('participant');
  });

  it('a researcher deletes by Prolific id; an unknown id is 404 and deletes nothing', async () => {
    const other = await joinWithPid('5f0c0ffee0c0ffee0c0ffee2');
    const url = `/api/studies/${studyId}/participants/delete`;
    const missing = await t.app.inject({
      method: 'POST',
      url,
      headers: { cookie: researcherCookie },
      payload: { prolificId: 'nobody-joined-with-this' },
    });
    expect(missing.statusCode).toBe(404);
    expect(await t.storage.people.getParticipant(other.participantId)).not.toBeNull();

    const res = await t.app.inject({
      method: 'POST',
      url,
      headers: { cookie: researcherCookie },
      payload: { prolificId: '5f0c0ffee0c0ffee0c0ffee2' },
    });

    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true, episodes: 0, twins: 0, ratings: 0 });
    expect(await t.storage.people.getParticipant(other.participantId)).toBeNull();
    const gone = await t.app.inject({
      method: 'GET',
      url: '/api/participant/journey',
      headers: { cookie: other.cookie },
    });
    expect(gone.statusCode).toBe(401);
    expect((await t.storage.deletions.listDeletions(studyId)).at(-1)?.deletedBy).not.toBe('participant');
  });

  it('a body without a Prolific id is refused, saying where', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/studies/${studyId}/participants/delete`,
      headers: { cookie: researcherCookie },
      payload: { prolificId: '' },
    });
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json())).toContain('prolificId');
  });
});

describe('prefdisco participants delete', () => {
  it('deletes by study name and Prolific id through the real bin; an unknown id exits 1 and deletes nothing', async () => {
    const file = join(dir, 'cli-delete.sqlite');
    const storage = SqliteStorage.open({ file });
    const { studyId: cliStudy } = await studyWithRecords(storage, 'CLI deletion study', 1);
    const { participant } = await storage.people.findOrCreateParticipant({
      studyId: cliStudy,
      role: 'rater',
      prolific: { prolificPid: 'cli-pid-0001' },
    });
    await storage.close();

    const unknown = await runCli([
      'participants',
      'delete',
      '--study',
      'CLI deletion study',
      '--prolific-id',
      'x',
      '--db',
      file,
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no participant of study "CLI deletion study" joined with the Prolific id "x"');

    const done = await runCli([
      'participants',
      'delete',
      '--study',
      'CLI deletion study',
      '--prolific-id',
      'cli-pid-0001',
      '--db',
      file,
    ]);
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect(done.stdout).toContain('deleted the participant with Prolific id "cli-pid-0001"');
    const after = SqliteStorage.open({ file });
    try {
      expect(await after.people.getParticipant(participant.id)).toBeNull();
      expect((await after.deletions.listDeletions(cliStudy)).map((d) => d.deletedBy)).toEqual(['cli']);
    } finally {
      await after.close();
    }
  });
});
