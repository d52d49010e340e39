import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';
import { setupLinkOf } from '../support/serve-process.ts';
import { expectAccessible } from './support/accessibility.ts';
import { openStudy, openTab, shot } from './support/console-pages.ts';
import { createFirstAccount, signIn, type Credentials } from './support/researcher-forms.ts';
import { servedConsole } from './support/served-console.ts';

// An owner shares the sample study with a second researcher as a viewer. The viewer sees only the read tabs and
// downloads an export; the owner reads that export in the audit log and makes the viewer a collaborator, after which
// the work tabs appear for them (but not Sharing, the audit log or deleting participants' data).

const app = servedConsole({ width: 1400, height: 900 });
const { shots, errors } = app;
const owner: Credentials = { username: 'owner', password: 'correct horse battery' };
const guest: Credentials = { username: 'vic', password: 'tangerine kettle orbit' };
const READ_TABS = ['Results', 'Exports', 'Agreement'];
const WORK_TABS = ['Settings', 'Invites', 'Records', 'Batch runs', 'Live monitor', 'Assignments', ...READ_TABS];

let studyId = '';
let guestPage: Page | undefined;
const guestErrors: string[] = [];

const viewerPage = (): Page => {
  if (!guestPage) throw new Error('the second researcher has not signed in yet');
  return guestPage;
};

async function tabNames(page: Page): Promise<string[]> {
  await page.getByRole('tablist', { name: 'Study sections' }).waitFor();
  return page.getByRole('tab').allTextContents();
}

describe('sharing a study', () => {
  it('an owner gives a second researcher the viewer role; refusals are shown as the server words them', async () => {
    const page = app.page;
    await page.goto(await setupLinkOf(app.served));
    await createFirstAccount(page, owner);
    await page.getByText(`Signed in as ${owner.username}`).waitFor();
    // The first account owns the sample study imported at first start.
    await page.getByRole('link', { name: /^Sample benchmark.*Role: owner/ }).waitFor();
    await openStudy(page, 'Sample benchmark');
    studyId = /\/studies\/([^/]+)\/settings$/.exec(page.url())?.[1] ?? '';
    expect(studyId).not.toBe('');
    expect(await tabNames(page)).toEqual([...WORK_TABS, 'Sharing', 'Audit log']);
    await page.getByRole('button', { name: 'Open study' }).waitFor();
    await page.getByRole('button', { name: 'Preview' }).waitFor();

    // The second account is made the way a server's admin makes one, while the server runs.
    const created = await runCli(
      ['admin', 'create', '--username', guest.username, '--db', join(app.dir, 'e2e.sqlite')],
      {
        PREFDISCO_ADMIN_PASSWORD: guest.password,
      },
    );
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);

    await openTab(page, 'Sharing');
    await page.getByText(/^Viewer: reads results, agreement and exports/).waitFor();
    const form = page.getByRole('form', { name: 'Add a researcher' });
    const members = page.getByRole('table', { name: 'Researchers with access' });
    await members.getByRole('rowheader', { name: `${owner.username} (you)` }).waitFor();

    await form.getByLabel('Username').fill('nobody');
    await form.getByRole('button', { name: 'Add' }).click();
    await form.getByRole('alert').getByText('no researcher account is named "nobody"').waitFor();
    await expectAccessible(page, 'sharing: unknown username refused');

    await form.getByLabel('Username').fill(guest.username);
    await form.getByLabel('Role').selectOption('viewer');
    await form.getByRole('button', { name: 'Add' }).click();
    await form.getByRole('status').getByText(`${guest.username} is now a viewer of this study.`).waitFor();
    await expect.poll(() => members.getByLabel(`Role of ${guest.username}`).inputValue()).toBe('viewer');
    expect(await form.getByLabel('Username').inputValue()).toBe('');

    // Adding the same researcher again is a conflict; demoting the only owner is refused under the owner's row.
    await form.getByLabel('Username').fill(guest.username);
    await form.getByRole('button', { name: 'Add' }).click();
    await form.getByRole('alert').getByText('this researcher already has a role in the study').waitFor();
    await members.getByLabel(`Role of ${owner.username}`).selectOption('viewer');
    await members
      .getByRole('alert')
      .getByText(/a study keeps at least one owner/)
      .waitFor();
    await expect.poll(() => members.getByLabel(`Role of ${owner.username}`).inputValue()).toBe('owner');
    await expectAccessible(page, 'sharing: viewer added, last owner kept');
    await shot(page, shots, 'sharing');
  }, 120_000);

  it('the viewer sees the study with its role, only the read tabs, and downloads an export', async () => {
    const context = await app.browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    guestPage = await context.newPage();
    const page = guestPage;
    page.on('pageerror', (e) => guestErrors.push(e.message));
    await page.goto(app.served.url);
    await signIn(page, guest);
    await page.getByText(`Signed in as ${guest.username}`).waitFor();
    const card = page.getByRole('link', { name: /^Sample benchmark.*Role: viewer/ });
    await card.waitFor();
    await expectAccessible(page, 'viewer: studies list');
    await shot(page, shots, 'viewer-studies');

    // The card opens the viewer's default tab.
    await card.click();
    await page.waitForURL(`**/studies/${studyId}/results`);
    expect(await tabNames(page)).toEqual(READ_TABS);
    // No lifecycle buttons: a viewer changes nothing.
    expect(await page.getByRole('button', { name: /^(Open study|Resume|Pause|Close…|Preview)$/ }).count()).toBe(0);
    await expectAccessible(page, 'viewer: results');

    // A deep link to a tab the role cannot use lands on the role's default tab.
    await page.goto(`${app.served.url}/studies/${studyId}/settings`);
    await page.waitForURL(`**/studies/${studyId}/results`);
    await page.getByRole('tabpanel').waitFor();
    expect(await tabNames(page)).toEqual(READ_TABS);

    await openTab(page, 'Exports');
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download episodes as CSV' }).click();
    expect((await download).suggestedFilename()).toBe('Sample-benchmark-episodes.csv');
    await shot(page, shots, 'viewer-exports');
  }, 120_000);

  it('the owner reads the viewer’s export in the audit log and makes them a collaborator', async () => {
    const page = app.page;
    await openTab(page, 'Audit log');
    const log = page.getByRole('table', { name: 'Audit log' });
    const exported = log.getByRole('row').filter({ hasText: 'Downloaded an export' });
    await exported.filter({ hasText: guest.username }).first().waitFor();
    // Newest first: the export comes before the sharing that allowed it.
    const actions = await log.locator('tbody tr td:nth-child(3)').allTextContents();
    expect(actions[0]).toBe('Downloaded an export');
    expect(actions).toContain('Gave a researcher access');
    await log
      .getByRole('row')
      .filter({ hasText: `${guest.username} as viewer` })
      .waitFor();
    await expectAccessible(page, 'audit log');
    await shot(page, shots, 'audit-log');

    await openTab(page, 'Sharing');
    const members = page.getByRole('table', { name: 'Researchers with access' });
    await members.getByLabel(`Role of ${guest.username}`).selectOption('collaborator');
    await expect.poll(() => members.getByLabel(`Role of ${guest.username}`).inputValue()).toBe('collaborator');
    await openTab(page, 'Audit log');
    await page
      .getByRole('table', { name: 'Audit log' })
      .getByRole('row')
      .filter({ hasText: `${guest.username}: viewer → collaborator` })
      .waitFor();
    // The owner's Invites tab offers deleting a participant's data.
    await openTab(page, 'Invites');
    await page.getByRole('region', { name: 'Delete a participant' }).waitFor();
  }, 120_000);

  it('the collaborator then sees the work tabs, but not Sharing, the audit log or deleting participants', async () => {
    const page = viewerPage();
    await page.reload();
    await page.getByRole('tabpanel').waitFor();
    expect(await tabNames(page)).toEqual(WORK_TABS);
    await page.getByText('Role: collaborator').waitFor();
    await openTab(page, 'Invites');
    await page.getByRole('region', { name: 'Persona actors' }).waitFor();
    expect(await page.getByRole('region', { name: 'Delete a participant' }).count()).toBe(0);
    await shot(page, shots, 'collaborator-invites');

    await page.goto(`${app.served.url}/studies/${studyId}/audit`);
    await page.waitForURL(`**/studies/${studyId}/settings`);
    await page.getByRole('tabpanel').waitFor();
    await expectAccessible(page, 'collaborator: settings after a deep link to the audit log');

    await page.context().close();
    expect(guestErrors).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);
});
