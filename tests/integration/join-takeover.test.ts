import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinViaHttp, type HttpAuthResult } from '../support/auth-helpers.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { tempDir } from '../support/temp-files.ts';

const dir = tempDir();
let t: TestApp;
let studyId: string;
beforeAll(async () => {
  t = await startTestApp(dir);
  studyId = (await t.storage.listStudies())[0]?.id ?? '';
});
afterAll(async () => {
  await t.close();
});

const idOf = (r: HttpAuthResult): string => (r.body as { participantId: string }).participantId;

/** A refusal that hands out nothing: no participant, no session cookie, and a message saying what to do. */
function expectRefused(result: HttpAuthResult): void {
  expect(result).toMatchObject({
    status: 403,
    cookie: null,
    body: { error: 'forbidden', message: expect.stringMatching(/continue in the browser you started in/) },
  });
}

describe('resuming a Prolific participant from a fresh browser', () => {
  it('needs the SESSION_ID stored at the first join or the first browser’s cookie; the PID alone is refused', async () => {
    const invite = await t.storage.people.createInvite({ studyId, role: 'actor' });
    const victim = { PROLIFIC_PID: '5f0c0ffee0c0ffee0c0ffee1', STUDY_ID: 'st1', SESSION_ID: 'session-of-the-victim' };
    const first = await joinViaHttp(t.app, invite.code, victim);
    expect(first.body).toMatchObject({ resumed: false });

    // Someone who knows only the PID (or guesses a session): refused, whatever else the link carries.
    expectRefused(await joinViaHttp(t.app, invite.code, { PROLIFIC_PID: victim.PROLIFIC_PID }));
    expectRefused(await joinViaHttp(t.app, invite.code, { ...victim, SESSION_ID: 'another-session' }));
    expectRefused(await joinViaHttp(t.app, invite.code, { ...victim, SESSION_ID: '' }));

    // The person on a new browser, opening Prolific's link of the same attempt again: resumed.
    const newBrowser = await joinViaHttp(t.app, invite.code, victim);
    expect(newBrowser).toMatchObject({ status: 200, body: { participantId: idOf(first), resumed: true } });
    // The browser they started in, with or without the link's parameters: resumed.
    const sameBrowser = await joinViaHttp(
      t.app,
      invite.code,
      { PROLIFIC_PID: victim.PROLIFIC_PID },
      newBrowser.cookie ?? '',
    );
    expect(sameBrowser).toMatchObject({ status: 200, body: { participantId: idOf(first), resumed: true } });
    expect(sameBrowser.cookie).not.toBeNull();
  });

  it('a participant who joined without a SESSION_ID can resume only in their own browser', async () => {
    const invite = await t.storage.people.createInvite({ studyId, role: 'rater' });
    const first = await joinViaHttp(t.app, invite.code, { PROLIFIC_PID: 'pid-without-session' });
    expect(first.status).toBe(200);
    expectRefused(await joinViaHttp(t.app, invite.code, { PROLIFIC_PID: 'pid-without-session' }));
    expectRefused(await joinViaHttp(t.app, invite.code, { PROLIFIC_PID: 'pid-without-session', SESSION_ID: 'x' }));
    // Another participant's cookie proves nothing about this one.
    const other = await joinViaHttp(t.app, invite.code, { PROLIFIC_PID: 'someone-else', SESSION_ID: 'y' });
    expectRefused(await joinViaHttp(t.app, invite.code, { PROLIFIC_PID: 'pid-without-session' }, other.cookie ?? ''));
    const own = await joinViaHttp(t.app, invite.code, { PROLIFIC_PID: 'pid-without-session' }, first.cookie ?? '');
    expect(own).toMatchObject({ status: 200, body: { participantId: idOf(first), resumed: true } });
  });
});
