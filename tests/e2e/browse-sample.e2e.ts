import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { serveProcess, setupLinkOf, type ServedApp } from '../support/serve-process.ts';
import { tempDir } from '../support/temp-files.ts';
import { expectAccessible } from './support/accessibility.ts';
import { writeBrokenBenchmark, writeSmallBenchmark } from './support/benchmark-files.ts';
import { openStudy, openTab, shot } from './support/console-pages.ts';
import { playOneReply } from './support/live-actor.ts';
import { createFirstAccount, setupCard, signIn, signInCard, type Credentials } from './support/researcher-forms.ts';
import { e2eSettings } from '../support/test-env.ts';

const dir = tempDir();
// Screenshots go to the temporary directory, or to E2E_SCREENSHOT_DIR to keep them for a look.
const shots = e2eSettings(dir).screenshotDir;
const researcher: Credentials = { username: 'researcher', password: 'correct horse battery' };
const PROLIFIC = '?PROLIFIC_PID={{%PROLIFIC_PID%}}&STUDY_ID={{%STUDY_ID%}}&SESSION_ID={{%SESSION_ID%}}';
let served: ServedApp;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let actorLink = '';
const errors: string[] = [];

beforeAll(async () => {
  served = await serveProcess({ PREFDISCO_DB: join(dir, 'e2e.sqlite'), PREFDISCO_RUNS_DIR: join(dir, 'runs') });
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: served.url });
  page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
});
afterAll(async () => {
  await browser?.close();
  expect(await served?.stop()).toBe(0);
});

describe('a researcher’s journey on a fresh install', () => {
  it('creates the first account, browses the sample study, signs out and in again', async () => {
    // First run: no researcher yet, and the browser is on the server's machine, at the setup link the server
    // printed (with its one-time token), so the setup form shows.
    await page.goto(await setupLinkOf(served));
    await setupCard(page).waitFor();
    await page.screenshot({ path: join(shots, 'setup-card.png'), animations: 'disabled' });
    // The password rule is checked at the field before anything is sent.
    await createFirstAccount(page, { username: researcher.username, password: 'too short' });
    await setupCard(page)
      .getByText(/Use at least 10 characters/)
      .waitFor();
    await expectAccessible(page, 'setup card: password refused');
    await createFirstAccount(page, researcher);

    // Signed in: the studies, then the sample study's 64 records, one with persona, preferences and rubric.
    await page.getByText('Signed in as researcher').waitFor();
    await page.getByRole('link', { name: /^Sample benchmark/ }).waitFor();
    await expectAccessible(page, 'studies list');
    await shot(page, shots, 'studies');
    await openStudy(page, 'Sample benchmark');
    await openTab(page, 'Records');
    await page.getByText(/of 64/).first().waitFor();
    const firstRow = page.locator('tbody tr').first();
    await expect(firstRow.textContent()).resolves.toContain('problem_0_');
    await firstRow.click();
    await page.getByText('Chidinma Okafor').first().waitFor();
    // The gold answer, bare LaTeX in the record (27\sqrt{3}), is drawn as math (docs/live-play.md).
    await page.getByRole('dialog').locator('.katex .sqrt').first().waitFor();
    await expectAccessible(page, 'record details open');
    await page.screenshot({ path: join(shots, 'record.png'), animations: 'disabled' });
    await page.getByRole('button', { name: 'Close record details' }).click();

    // Signing out returns to the sign-in card; the studies are gone with the session.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signInCard(page).getByText('You have signed out.').waitFor();
    expect(await page.getByText('Sample benchmark').count()).toBe(0);
    await signIn(page, { username: researcher.username, password: 'not the password' });
    await signInCard(page)
      .getByRole('alert')
      .filter({ hasText: /wrong username or password/i })
      .waitFor();
    await expectAccessible(page, 'sign-in card: wrong password');
    await page.screenshot({ path: join(shots, 'sign-in-card.png'), animations: 'disabled' });
    await signIn(page, researcher);
    await page.getByText(/of 64/).first().waitFor();

    // A session that ends (the cookie is gone) sends the next research call back to the sign-in card.
    await context.clearCookies();
    await page.getByRole('link', { name: 'PrefDisco Live' }).click();
    await page.getByRole('button', { name: 'Refresh' }).click();
    await signInCard(page)
      .getByText(/session has ended/i)
      .waitFor();
    await expectAccessible(page, 'sign-in card: session ended');
    await page.reload();
    await signInCard(page).waitFor();
    expect(await setupCard(page).count()).toBe(0);
    await signIn(page, researcher);
    await page.getByText('Signed in as researcher').waitFor();
  }, 120_000);

  it('imports a benchmark file through the page, after a broken one is refused line by line', async () => {
    await page.getByRole('button', { name: 'Import benchmark…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import a benchmark file' });
    await dialog.waitFor();
    await expectAccessible(page, 'import dialog');
    await dialog.getByLabel('Benchmark file').setInputFiles(writeBrokenBenchmark(dir));
    await dialog.getByLabel(/^Study/).fill('E2E import');
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await dialog.getByText('Not imported: nothing was stored').waitFor();
    const issues = dialog.getByRole('table', { name: 'Problems in the file, by line' });
    await issues.getByText('line 2').first().waitFor();
    await issues.getByText('line 3').first().waitFor();
    await expectAccessible(page, 'import dialog: file refused line by line');
    await shot(page, shots, 'import-errors');

    await dialog.getByLabel('Benchmark file').setInputFiles(writeSmallBenchmark(dir));
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await dialog.getByText(/Imported 2 records into “E2E import” \(new study\)/).waitFor();
    await expectAccessible(page, 'import dialog: imported');
    await shot(page, shots, 'import-done');
    await dialog.getByRole('button', { name: 'Open the study' }).click();
    await page.getByRole('heading', { level: 1, name: 'E2E import' }).waitFor();
    await page.getByText(/1–2 of 2/).waitFor();
  }, 120_000);

  it('configures and opens the sample study, and copies an invite link with the Prolific parameters', async () => {
    await openStudy(page, 'Sample benchmark');
    await page.getByText('draft · not configured').waitFor();
    await expectAccessible(page, 'settings of a draft study');
    const models = page.getByRole('combobox', { name: 'Models under test' });
    // A model that is not declared: the server's 400 shows at the field.
    await models.fill('no-such-model');
    await models.press('Enter');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Model "no-such-model" is not declared').waitFor();
    await expectAccessible(page, 'settings: undeclared model refused');
    await shot(page, shots, 'settings-error', false);
    await models.press('Backspace');
    await models.fill('scripted');
    await models.press('Enter');
    await page.getByLabel('Consent (persona actors)', { exact: true }).fill('I agree to take part in this study.');
    await page
      .getByLabel('Instructions for persona actors', { exact: true })
      .fill('Play the persona; reveal preferences only when asked.');
    await page.getByLabel('Completed', { exact: true }).fill('C0DE1234');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    await page.getByRole('button', { name: 'Open study' }).click();
    await page.getByText('The study is open. Pause it').waitFor();
    await expectAccessible(page, 'settings: saved and open');
    await shot(page, shots, 'settings');

    await openTab(page, 'Invites');
    await page.getByRole('button', { name: 'New actor link' }).click();
    const link = page.getByLabel('actor link', { exact: true });
    actorLink = await link.inputValue();
    expect(actorLink).toMatch(new RegExp(`^${served.url}/join/[A-Za-z0-9_-]+`));
    expect(actorLink.endsWith(PROLIFIC)).toBe(true);
    await page.getByRole('button', { name: 'Copy actor link' }).click();
    await page.getByText('Link copied, with the Prolific parameters.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(actorLink);
    await page.getByRole('button', { name: 'New rater link' }).click();
    await page.getByLabel('rater link', { exact: true }).waitFor();
    await expectAccessible(page, 'invites: links made and copied');
    await shot(page, shots, 'invites');
  }, 120_000);

  it('starts a scripted batch run and watches it finish', async () => {
    await openTab(page, 'Batch runs');
    await page.getByText(/No runs yet/).waitFor();
    await page.getByLabel('Max problems', { exact: true }).fill('2');
    await page.getByRole('button', { name: 'Start run' }).click();
    const progress = page.getByRole('region', { name: /^Run / });
    await progress.getByText('6 of 6 episodes (100%)').waitFor({ timeout: 30_000 });
    // The run's status chip, first in the panel (the episode list below says completed too).
    await progress.getByText('completed', { exact: true }).first().waitFor();
    await expectAccessible(page, 'batch run completed');
    await shot(page, shots, 'runs');
    const download = page.waitForEvent('download');
    await progress.getByRole('link', { name: 'Download results.jsonl' }).click();
    const lines = readFileSync(await (await download).path(), 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    expect(lines).toHaveLength(6);

    // The run's discovery answers go to the raters after a confirm that names the offline test model; they can be
    // taken back while nobody has rated them. Its episodes open as transcripts.
    await progress.getByRole('button', { name: 'Send to raters…' }).click();
    const confirm = page.getByRole('dialog', { name: 'Send answers to raters' });
    await confirm.getByText('Add 2 answers from model scripted (offline test model!) to the rating queue?').waitFor();
    await confirm
      .getByRole('alert')
      .getByText(/scripted is the offline test model/)
      .waitFor();
    await expectAccessible(page, 'send-to-raters confirm dialog');
    await shot(page, shots, 'send-to-raters-confirm', false);
    await confirm.getByRole('button', { name: 'Add 2 answers' }).click();
    await progress.getByText('2 answers added to the rating queue.').waitFor();
    await expectAccessible(page, 'batch run: answers sent to raters');
    await progress.getByRole('button', { name: 'Withdraw unrated…' }).click();
    const withdraw = page.getByRole('dialog', { name: 'Withdraw unrated answers' });
    await withdraw.waitFor();
    await expectAccessible(page, 'withdraw dialog');
    await withdraw.getByRole('button', { name: 'Withdraw' }).click();
    await progress.getByText('2 answers withdrawn: no rater will be given them.').waitFor();
    await progress
      .getByRole('button', { name: /^View episode / })
      .first()
      .click();
    const dialog = page.getByRole('dialog', { name: /^Episode / });
    await dialog.getByText(/^Judge$/).waitFor();
    await expectAccessible(page, 'batch episode transcript dialog');
    await shot(page, shots, 'run-episode', false);
    await dialog.getByRole('button', { name: 'Close' }).click();
  }, 120_000);

  it('shows the results table and downloads an export', async () => {
    // A failing server first: the tab says what failed and offers Retry.
    const results = /\/api\/studies\/[^/]+\/results/;
    await page.route(results, (route) =>
      route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: '{"error":"internal","message":"internal error"}',
      }),
    );
    await openTab(page, 'Results');
    const failure = page.getByRole('alert').filter({ hasText: 'Could not load the results' });
    await failure.getByText('internal error').waitFor();
    await expectAccessible(page, 'results: load failed');
    await shot(page, shots, 'results-error', false);
    await page.unroute(results);
    await failure.getByRole('button', { name: 'Retry' }).click();
    const table = page.getByRole('table', { name: 'Results by model, condition and user type' });
    await table.getByText('Baseline (no_prompt)').waitFor();
    await table.getByText('simulated (passive_nostop)').waitFor();
    // Every number here comes from the offline test model, and the page says so above them.
    await page
      .getByRole('note', { name: 'Offline test model' })
      .getByText(/rest on scripted, the offline test model/)
      .waitFor();
    await expectAccessible(page, 'results table');
    await shot(page, shots, 'results');

    // Keyboard: arrow keys move along the tabs, Enter opens one, and the focus stays visible.
    await page.getByRole('tab', { name: 'Results' }).focus();
    await page.keyboard.press('ArrowRight');
    await shot(page, shots, 'tab-focus', false);
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: 'Download episodes as CSV' }).waitFor();
    await expectAccessible(page, 'exports');
    await shot(page, shots, 'exports');
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download episodes as CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('Sample-benchmark-episodes.csv');
    const rows = readFileSync(await file.path(), 'utf8')
      .trim()
      .split('\r\n');
    expect(rows[0]).toMatch(/^episode_id,source,run_id/);
    expect(rows.length).toBeGreaterThanOrEqual(7);
  }, 120_000);

  it('watches a live session with the simulated twin’s replies beside the actor’s', async () => {
    const actor = await playOneReply(actorLink, 'Short answers please, I am in a hurry.');
    await openTab(page, 'Live monitor');
    // The health line above the list: nothing failing with the scripted model.
    await page.getByText(/1 running · 0 completed · no model failures/).waitFor();
    // The unit in hand, with its action in view: the table fits its column beside the transcript, no sideways scroll.
    const units = page.getByRole('table', { name: 'Units held now' });
    await units.getByRole('button', { name: 'End session…' }).waitFor();
    const fits = await units.evaluate((t) => {
      const box = t.parentElement;
      return box ? { scroll: box.scrollWidth, client: box.clientWidth } : null;
    });
    expect(fits).not.toBeNull();
    expect(fits?.scroll).toBeLessThanOrEqual(fits?.client ?? 0);
    await page.getByRole('button', { name: `Watch episode ${actor.episodeId}` }).click();
    const transcript = page.getByRole('region', { name: 'Watched transcript' });
    await transcript.getByText('Short answers please, I am in a hurry.').waitFor();
    await transcript
      .getByText(/^Simulated twin · same question/)
      .first()
      .waitFor();
    await expectAccessible(page, 'live monitor: watched transcript');
    await shot(page, shots, 'live', false);
    actor.socket.disconnect();

    await openTab(page, 'Assignments');
    await page.getByText(/of 64 plays completed · 1 in progress/).waitFor();
    await expectAccessible(page, 'assignments');
    await shot(page, shots, 'assignments');

    // An attention item: a record picked by typing, an answer, the expected score of every criterion.
    await page.getByRole('button', { name: 'New attention item' }).click();
    const gold = page.getByRole('dialog', { name: 'New attention item' });
    await gold.getByRole('combobox', { name: 'Record' }).fill('problem_0_okafor');
    await page.getByRole('option').first().click();
    await gold.getByLabel('The answer raters will see').fill('The area is 27√3; picture six triangles in the hexagon.');
    const scales = gold.getByRole('group', { name: /^Expected score for / });
    await scales.first().waitFor();
    await expectAccessible(page, 'attention item dialog');
    const criteria = await scales.count();
    expect(criteria).toBeGreaterThan(0);
    for (let i = 0; i < criteria; i++) await scales.nth(i).getByRole('button', { name: '4', exact: true }).click();
    await gold.getByRole('button', { name: 'Add attention item' }).click();
    await gold.waitFor({ state: 'detached' });
    await page.getByRole('table', { name: 'Ratings per answer' }).getByText('gold item').first().waitFor();
    await openTab(page, 'Agreement');
    // Nothing rated and no live episode finished yet: the tab says what the report needs.
    await page.getByText(/Nothing to compare yet/).waitFor();
    await expectAccessible(page, 'agreement: nothing to compare yet');
    await shot(page, shots, 'agreement');

    // On a phone the tabs scroll and the tables keep their columns (they scroll sideways, not squash).
    await page.setViewportSize({ width: 390, height: 844 });
    await openTab(page, 'Live monitor');
    await expectAccessible(page, 'live monitor on a phone');
    await shot(page, shots, 'live-phone', false);
    await page.setViewportSize({ width: 1400, height: 900 });
    expect(errors).toEqual([]);
  }, 120_000);
});
