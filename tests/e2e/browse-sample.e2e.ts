import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { serveProcess, type ServedApp } from '../support/serve-process.ts';
import { tempDir } from '../support/temp-files.ts';
import { createFirstAccount, setupCard, signIn, signInCard, type Credentials } from './support/researcher-forms.ts';

const dir = tempDir();
// Screenshots go to the temporary directory, or to E2E_SCREENSHOT_DIR to keep them for a look.
const shots = process.env.E2E_SCREENSHOT_DIR ?? dir;
const researcher: Credentials = { username: 'researcher', password: 'correct horse battery' };
let served: ServedApp;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  served = await serveProcess({ PREFDISCO_DB: join(dir, 'e2e.sqlite') });
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  page = await context.newPage();
});
afterAll(async () => {
  await browser?.close();
  expect(await served?.stop()).toBe(0);
});

describe('a researcher opens a fresh install', () => {
  it('creates the first account, browses the sample study, signs out and in again', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    // First run: no researcher yet, and the browser is on the server's machine, so the setup form shows.
    await page.goto(served.url);
    await setupCard(page).waitFor();
    await page.screenshot({ path: join(shots, 'setup-card.png'), animations: 'disabled' });
    // The password rule is checked at the field before anything is sent.
    await createFirstAccount(page, { username: researcher.username, password: 'too short' });
    await setupCard(page).getByText(/Use at least 10 characters/).waitFor();
    await createFirstAccount(page, researcher);

    // Signed in: the sample study, its 64 records, one record with persona, preferences and rubric.
    await page.getByText('Signed in as researcher').waitFor();
    await page.getByText('Sample benchmark').first().waitFor();
    await page.getByText(/of 64/).first().waitFor();
    const firstRow = page.locator('tbody tr').first();
    await expect(firstRow.textContent()).resolves.toContain('problem_0_');
    await firstRow.click();
    await page.getByText('Chidinma Okafor').first().waitFor();
    await page.getByText(/regular hexagon/i).first().waitFor();
    await page.getByText('27\\sqrt{3}').first().waitFor();
    await page.screenshot({ path: join(shots, 'record.png'), animations: 'disabled' });
    expect(await page.getByText(/Could not load/).count()).toBe(0);
    await page.getByRole('button', { name: 'Close record details' }).click();

    // Signing out returns to the sign-in card; the studies are gone with the session.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signInCard(page).waitFor();
    await signInCard(page).getByText('You have signed out.').waitFor();
    expect(await page.getByText('Sample benchmark').count()).toBe(0);

    // A wrong password shows the server's message.
    await signIn(page, { username: researcher.username, password: 'not the password' });
    await signInCard(page).getByRole('alert').filter({ hasText: /wrong username or password/i }).waitFor();
    await page.screenshot({ path: join(shots, 'sign-in-card.png'), animations: 'disabled' });

    // The right one opens the studies again.
    await signIn(page, researcher);
    await page.getByText('Signed in as researcher').waitFor();
    await page.getByText(/of 64/).first().waitFor();

    // A session that ends (here: the cookie is gone) sends the next research call back to the sign-in card.
    await context.clearCookies();
    await page.getByRole('button', { name: 'Refresh' }).click();
    await signInCard(page).getByText(/session has ended/i).waitFor();
    // A reload still knows an account exists: the sign-in card, not the setup form.
    await page.reload();
    await signInCard(page).waitFor();
    expect(await setupCard(page).count()).toBe(0);

    expect(errors).toEqual([]);
  });
});
