import { describe, expect, it } from 'vitest';
import { setupLinkOf } from '../support/serve-process.ts';
import { expectAccessible } from './support/accessibility.ts';
import { servedConsole } from './support/served-console.ts';
import { openStudy, openTab, shot } from './support/console-pages.ts';
import { createFirstAccount } from './support/researcher-forms.ts';

// A researcher caps an invitation link, sees it fill up, and revokes it with "lock everyone out"; a person opening the
// full link is told why they cannot join (docs/studies-and-ratings.md, "Invitation links").

const app = servedConsole({ width: 1400, height: 900 });
const { shots, errors } = app;

/** `POST /api/join/:code` from outside the browser, as another person would; the status and their cookie. */
async function joinFromElsewhere(origin: string, code: string): Promise<{ status: number; cookie: string }> {
  const res = await fetch(`${origin}/api/join/${code}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  return { status: res.status, cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '' };
}

describe('invitation links with a cap, in the console', () => {
  it('caps a link, shows it full, tells a newcomer why, and locks everyone out on revoke', async () => {
    await app.page.goto(await setupLinkOf(app.served));
    await createFirstAccount(app.page, { username: 'researcher', password: 'correct horse battery' });
    await app.page.getByText('Signed in as researcher').waitFor();
    const origin = new URL(app.page.url()).origin;

    // Open the sample study through the API (the settings form has its own tests): links admit people only then.
    const studies = (await (await app.page.request.get(`${origin}/api/studies`)).json()) as {
      studies: { id: string; name: string }[];
    };
    const studyId = studies.studies.find((s) => s.name === 'Sample benchmark')?.id ?? '';
    const put = await app.page.request.put(`${origin}/api/studies/${studyId}/settings`, {
      data: { models: ['scripted'] },
    });
    expect(put.status()).toBe(200);
    expect((await app.page.request.post(`${origin}/api/studies/${studyId}/open`, { data: {} })).status()).toBe(200);

    await openStudy(app.page, 'Sample benchmark');
    await openTab(app.page, 'Invites');
    await app.page.getByRole('button', { name: 'New actor link' }).click();
    const link = await app.page.getByLabel('actor link', { exact: true }).inputValue();
    const code = new URL(link).pathname.split('/').pop() ?? '';
    await app.page.getByText('0 joined · 0 mid-task').waitFor();
    await expectAccessible(app.page, 'invites: a new actor link');

    await app.page.getByRole('button', { name: 'Edit actor link' }).click();
    const edit = app.page.getByRole('dialog', { name: 'Edit the actor link' });
    await edit.waitFor();
    await expectAccessible(app.page, 'edit link dialog');
    await edit.getByLabel('Label').fill('Pilot wave');
    await edit.getByLabel('Participant cap').fill('0');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.getByText('A whole number from 1, or empty for no cap.').waitFor();
    await expectAccessible(app.page, 'edit link dialog: cap refused');
    await edit.getByLabel('Participant cap').fill('1');
    await shot(app.page, shots, 'invite-edit', false);
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'detached' });
    await app.page.getByRole('heading', { name: 'Pilot wave' }).waitFor();
    await app.page.getByText('0 of 1 joined · 0 mid-task').waitFor();
    await expectAccessible(app.page, 'invites: a capped link');

    const first = await joinFromElsewhere(origin, code);
    expect(first.status).toBe(200);
    expect((await joinFromElsewhere(origin, code)).status).toBe(404);

    // A newcomer opening the full link in their own browser is told why.
    const newcomer = await (await app.browser.newContext()).newPage();
    await newcomer.goto(`${origin}/join/${code}`);
    await newcomer.getByText(/This invitation link has reached its limit of participants/).waitFor();
    await expectAccessible(newcomer, 'join page: link full');
    await shot(newcomer, shots, 'invite-full-join', false);
    await newcomer.context().close();

    await app.page.reload();
    await app.page.getByText('1 of 1 joined · 0 mid-task').waitFor();
    const pilot = app.page.getByRole('region', { name: 'Persona actors' }).getByLabel('Pilot wave');
    await pilot.getByText('full', { exact: true }).waitFor();
    await expectAccessible(app.page, 'invites: a full link');

    await app.page.getByRole('button', { name: 'Revoke actor link' }).click();
    const revoke = app.page.getByRole('dialog', { name: /Revoke “Pilot wave”/ });
    await revoke.getByText('1 person has joined through this link; none of them is mid-task now.').waitFor();
    expect(await revoke.getByRole('radio', { name: /Let people mid-task finish/ }).isChecked()).toBe(true);
    await revoke.getByRole('radio', { name: /Lock everyone out/ }).check();
    await expectAccessible(app.page, 'revoke dialog');
    await shot(app.page, shots, 'invite-revoke', false);
    await revoke.getByRole('button', { name: 'Revoke for good' }).click();
    await revoke.waitFor({ state: 'detached' });
    await pilot.getByText(/everyone locked out/).waitFor();
    await pilot.getByText('revoked', { exact: true }).waitFor();
    await expectAccessible(app.page, 'invites: a revoked link');

    // The person who joined is locked out: their session is gone.
    const me = await fetch(`${origin}/api/auth/me`, { headers: { cookie: first.cookie } });
    expect(me.status).toBe(401);
    expect(errors).toEqual([]);
  }, 120_000);
});
