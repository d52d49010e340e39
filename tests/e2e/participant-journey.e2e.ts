import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fake-openai-server.ts';
import { serveProcess, type ServedApp } from '../support/serve-process.ts';
import { tempDir, writeFile } from '../support/temp-files.ts';
import { expectAccessible } from './support/accessibility.ts';
import { recordTransfers } from './support/transferred-bytes.ts';
import { openStudy, openTab } from './support/console-pages.ts';
import { asProlificOpens, setUpLiveStudy, waitForCandidates, type OpenedStudy } from './support/live-study-setup.ts';
import { pacedAssistant } from './support/paced-assistant.ts';
import { acceptConsent, criterionCount, scoreWithKeyboard } from './support/participant-steps.ts';
import { e2eSettings } from '../support/test-env.ts';

const dir = tempDir();
const { screenshotDir: shots } = e2eSettings(dir);
const admin = { username: 'admin', password: 'a long enough password' };
const FIRST_PAGE_BUDGET = 300 * 1024;
// A distinctive name, so the blinding check below cannot miss it (or trip over a word that contains it).
const MODEL = 'paced-mut-7f3';
let models: FakeOpenAiServer;
let served: ServedApp;
let browser: Browser;
let study: OpenedStudy;
let serverEnv: Record<string, string>;

beforeAll(async () => {
  models = await startFakeOpenAiServer();
  // Each model turn streams in 50 pieces, 100 ms apart (5 s): time enough to reload the page mid-turn.
  models.respondWith(pacedAssistant({ chunks: 50, chunkDelayMs: 100 }));
  const modelsFile = writeFile(
    dir,
    'models.json',
    JSON.stringify({
      models: [
        {
          name: MODEL,
          provider: 'openai-compatible',
          model: MODEL,
          baseUrl: models.baseUrl,
          maxRetries: 1,
          retryBaseDelayMs: 10,
        },
      ],
    }),
  );
  serverEnv = {
    PREFDISCO_DB: join(dir, 'journey.sqlite'),
    PREFDISCO_MODELS_FILE: modelsFile,
    PREFDISCO_ADMIN_USERNAME: admin.username,
    PREFDISCO_ADMIN_PASSWORD: admin.password,
  };
  served = await serveProcess(serverEnv);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  expect(await served?.stop()).toBe(0);
  await models?.close();
});

const shot = (page: Page, name: string, fullPage = false): Promise<Buffer> =>
  page.screenshot({ path: join(shots, name), animations: 'disabled', fullPage });
const questions = (page: Page) => page.getByRole('article', { name: /^Question \d/ });
const replies = (page: Page) => page.getByRole('article').filter({ hasText: /^You, as / });

async function reply(page: Page, text: string): Promise<void> {
  const box = page.getByLabel('Your reply');
  await box.fill(text);
  await box.press('Enter');
}

describe('a researcher sets up a live study; participants play and rate it in the browser', () => {
  let researcher: Page;
  const researcherErrors: string[] = [];

  it('the researcher configures and opens the study and makes the invitation links', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    researcher = await context.newPage();
    researcher.on('pageerror', (e) => researcherErrors.push(e.message));
    study = await setUpLiveStudy(researcher, served.url, admin, MODEL);
    expect(study.actorLink).toMatch(new RegExp(`^${served.url}/join/[A-Za-z0-9_-]+\\?PROLIFIC_PID=`));
    await shot(researcher, 'researcher-invites.png');
  }, 120_000);

  it('an actor joins, practises, plays the whole episode (reloading mid-stream), self-rates and gets the code; a rater rates blind', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const transferred = await recordTransfers(page);

    // The invitation link, as Prolific opens it.
    await page.goto(asProlificOpens(study.actorLink, '5f0c1a2b3c4d5e6f7a8b9c0d'));
    await page.getByRole('heading', { name: /Information and consent/ }).waitFor();
    // A participant's first page never loads the researcher console, and what it fetches stays small on the wire:
    // every request of the first load (page, scripts, API), as Chromium received it, compression included.
    const weight = transferred();
    const lines = weight.files.map((f) => `${(f.bytes / 1024).toFixed(1)} KB ${f.encoding ?? 'identity'} ${f.url}`);
    console.info(`participant first load: ${(weight.total / 1024).toFixed(1)} KB transferred\n  ${lines.join('\n  ')}`);
    // Soft: a heavier first load fails the test, but the journey still runs, so its other checks report too.
    expect.soft(weight.files.some((f) => f.url.includes('researcher-console'))).toBe(false);
    const scripts = weight.files.filter((f) => new URL(f.url).pathname.endsWith('.js'));
    expect.soft(scripts.length).toBeGreaterThan(2);
    expect.soft(scripts.map((f) => f.encoding ?? 'identity')).not.toContain('identity');
    expect.soft(weight.total).toBeLessThanOrEqual(FIRST_PAGE_BUDGET);
    expect(page.url()).toContain('PROLIFIC_PID=5f0c1a2b3c4d5e6f7a8b9c0d');
    await shot(page, 'join-consent.png');
    await acceptConsent(page);

    await page.getByRole('heading', { name: 'You will play a person chatting with an AI model' }).waitFor();
    await expectAccessible(page, 'instructions');
    await shot(page, 'instructions.png');
    await page.getByRole('button', { name: 'Try a practice round' }).click();

    // Practice: two canned questions answered in the browser, then on to the real task.
    for (const [i, text] of ['Just the result, please.', 'No strong feelings about that.'].entries()) {
      await page.getByText('Your turn').waitFor();
      await expectAccessible(page, `practice: question ${i + 1}`);
      await reply(page, text);
    }
    await page.getByText('Practice done').waitFor();
    await expectAccessible(page, 'practice done');
    await shot(page, 'practice.png');
    await page.getByRole('button', { name: 'Start the real task' }).click();
    await page.waitForURL(/\/play$/);

    // Live play. The study's instructions sit beside the chat; the protocol lines never show.
    await page.getByText('Play the persona as naturally as you can').waitFor();
    await questions(page).first().waitFor({ timeout: 20_000 });
    await expectAccessible(page, 'play: first question');
    await reply(page, 'I know the shape from my hives, not the maths.');

    // Reload while the second question streams: the conversation is intact and the turn continues.
    const streaming = page.locator('article[aria-busy="true"]').filter({ hasText: 'picture' });
    await streaming.waitFor({ timeout: 20_000 });
    await shot(page, 'play-mid-stream.png');
    await page.reload();
    await page
      .getByText(/regular hexagon/i)
      .first()
      .waitFor();
    // Still streaming after the reload: the server's buffer of the turn, then the chunks that follow it.
    await streaming.waitFor();
    // Checked here, not before the reload: the check takes a moment, and the turn must still be streaming above.
    await expectAccessible(page, 'play: while the model streams');
    await expect(replies(page).count()).resolves.toBe(1);
    await questions(page).nth(1).waitFor({ timeout: 20_000 });
    await expect(questions(page).nth(1).textContent()).resolves.toContain('picture described in words');
    await expect(questions(page).count()).resolves.toBe(2);
    expect(await page.getByText('###').count()).toBe(0);

    // Tag a question with one key, then answer the rest.
    await questions(page).nth(1).focus();
    await page.keyboard.press('1');
    await expect
      .poll(() =>
        questions(page)
          .nth(1)
          .getByRole('button', { name: /Relevant/, pressed: true })
          .count(),
      )
      .toBe(1);
    await expectAccessible(page, 'play: a question tagged');
    await reply(page, 'A picture first, please.');
    await questions(page).nth(2).waitFor({ timeout: 20_000 });
    await reply(page, 'My bees build hexagons.');
    await page.getByRole('button', { name: 'Rate the answer' }).waitFor({ timeout: 20_000 });
    await expect(replies(page).count()).resolves.toBe(3);
    await expectAccessible(page, 'play: final answer');
    // The button has focus: Enter goes on to the self-rating.
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/rate$/);

    // Self-rating from the keyboard; actors are not asked about correctness (they never see the correct answer).
    const criteria = await criterionCount(page);
    expect(criteria).toBeGreaterThan(0);
    await expectAccessible(page, 'self-rating');
    expect(await page.getByText('Is the answer correct?').count()).toBe(0);
    await scoreWithKeyboard(
      page,
      Array.from({ length: criteria }, (_, i) => 1 + (i % 4)),
      null,
    );
    await expect(page.locator('[data-scale="0"] input:checked').inputValue()).resolves.toBe('2');
    await shot(page, 'self-rating.png');
    // A reload keeps the scores given (the browser keeps the draft).
    await page.reload();
    const lastScale = page.locator(`[data-scale="${criteria - 1}"] input:checked`);
    await lastScale.waitFor();
    await expect(lastScale.inputValue()).resolves.toBe(String(1 + ((criteria - 1) % 4)));
    await expect(page.locator('[data-scale="0"] input:checked').inputValue()).resolves.toBe('2');
    await lastScale.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/done$/);
    await page.getByText('DONE123').waitFor();
    await expectAccessible(page, 'done: actor completed');
    await shot(page, 'completion.png');
    // A reload keeps the code on screen.
    await page.reload();
    await page.getByText('DONE123').waitFor();
    expect(errors).toEqual([]);
    await context.close();

    // A rater, in a browser of their own, rates the answers blind: the live one and its simulated twin.
    await waitForCandidates(served.url, study, 2);
    const raterContext = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const rater = await raterContext.newPage();
    rater.on('pageerror', (e) => errors.push(e.message));
    await rater.goto(asProlificOpens(study.raterLink, '60aa1b2c3d4e5f6a7b8c9d0e'));
    await acceptConsent(rater);
    await rater.getByRole('button', { name: 'Start rating' }).waitFor();
    await expectAccessible(rater, 'rater instructions');
    await rater.getByRole('button', { name: 'Start rating' }).click();
    await rater.waitForURL(/\/rate$/);
    for (let item = 0; item < 2; item++) {
      await rater.getByRole('heading', { name: /Rate this answer for the person who asked/ }).waitFor();
      await rater.getByText(/27√3/).first().waitFor();
      const body = (await rater.locator('body').textContent()) ?? '';
      for (const secret of [MODEL, 'scripted', 'simulat', 'twin', 'infer_persona', '###'])
        expect(body).not.toContain(secret);
      await expectAccessible(rater, `rater item ${item + 1}`);
      if (item === 0) await shot(rater, 'rater-item.png');
      await scoreWithKeyboard(
        rater,
        Array.from({ length: await criterionCount(rater) }, () => 3),
        item === 0 ? 'y' : 'n',
      );
      await rater.keyboard.press('Enter');
      // After the second answer nothing is left; the study's out-of-work policy is 'wait' (the default).
      // Two answers exist and the quota is 20: the counter says what is left, not "of 20".
      await rater
        .getByText(item === 0 ? '1 rated · 1 more answer to rate now' : /No answers to rate right now/)
        .waitFor();
      await expectAccessible(rater, item === 0 ? 'rater: rating saved, next item' : 'rater: waiting for work');
    }
    await rater.waitForURL(/\/done$/);
    await expectAccessible(rater, 'done: rater');
    await shot(rater, 'rater-done.png');
    expect(errors).toEqual([]);
    await raterContext.close();
  }, 360_000);

  it('the researcher follows the session, reads its transcript, the results and the agreement, and downloads the ratings', async () => {
    const page = researcher;
    await openStudy(page, 'Sample benchmark');
    await openTab(page, 'Assignments');
    const actors = page.getByRole('table', { name: 'Persona actors' });
    await actors.getByText('5f0c1a2b3c4d5e6f7a8b9c0d').waitFor();
    await page.getByText(/2 of 2 answers fully rated/).waitFor();
    await expectAccessible(page, 'console: assignments after play and rating');
    await shot(page, 'researcher-assignments.png');
    // The rated answers' source episodes open as transcripts: the person's replies beside the twin's.
    await page
      .getByRole('button', { name: /^View episode / })
      .first()
      .click();
    const dialog = page.getByRole('dialog', { name: /^Episode / });
    // The opening carries the task; the judge's scores close the transcript.
    await dialog
      .getByText(/regular hexagon/i)
      .first()
      .waitFor();
    await dialog.getByText(/^Judge$/).waitFor();
    await expectAccessible(page, 'console: live episode transcript dialog');
    await shot(page, 'researcher-episode.png');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });

    await openTab(page, 'Results');
    const table = page.getByRole('table', { name: 'Results by model, condition and user type' });
    await table.getByText('human (persona actor)').first().waitFor();
    await expectAccessible(page, 'console: results with a persona actor');
    await shot(page, 'researcher-results.png');

    await openTab(page, 'Agreement');
    const judge = page.getByRole('region', { name: 'Judge vs human raters' });
    await judge.getByText(/2 rated answers · 2 ratings by 1 rater/).waitFor({ timeout: 30_000 });
    await judge.getByRole('img', { name: /Judge score against the raters' mean score/ }).waitFor();
    const simulator = page.getByRole('region', { name: 'Simulated user vs persona actors' });
    await simulator.getByRole('img', { name: /Bland–Altman plot of 1 record-model pairs/ }).waitFor();
    await page.getByRole('table', { name: /Judge–rater mean absolute difference by criterion and age band/ }).waitFor();
    await expectAccessible(page, 'console: agreement report');
    await shot(page, 'researcher-agreement.png', true);

    await openTab(page, 'Exports');
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download ratings as CSV' }).click();
    const rows = readFileSync(await (await download).path(), 'utf8')
      .trim()
      .split('\r\n');
    // The header and the rater's two ratings.
    expect(rows).toHaveLength(3);
    expect(researcherErrors).toEqual([]);
  }, 180_000);

  it('a reply typed while the server is down is kept, and sent once it is back (phone-sized screen)', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(asProlificOpens(study.actorLink, '6b1c2d3e4f5a6b7c8d9e0f1a'));
    await acceptConsent(page);
    await page.getByRole('button', { name: 'Try a practice round' }).click();
    await page.getByRole('button', { name: 'Go to the real task' }).click();
    await page.waitForURL(/\/play$/);
    await questions(page).first().waitFor({ timeout: 20_000 });

    // The server crashes; the page says so and keeps what the actor sends meanwhile.
    const port = new URL(served.url).port;
    expect(await served.stop('SIGKILL')).toBeNull();
    await page.getByText(/Connection lost/).waitFor();
    await reply(page, 'Numbers scare me a little.');
    await page.getByText(/will be sent automatically/).waitFor();
    await expectAccessible(page, 'play on a phone: connection lost, reply kept');
    await shot(page, 'play-phone-offline.png');

    // Back on the same address: the reply goes out by itself, is stored once, and the model carries on.
    served = await serveProcess({ ...serverEnv, PREFDISCO_PORT: port });
    await page.getByText(/Connection lost/).waitFor({ state: 'detached', timeout: 20_000 });
    await questions(page).nth(1).waitFor({ timeout: 30_000 });
    await expect(replies(page).count()).resolves.toBe(1);
    await expect(replies(page).first().textContent()).resolves.toContain('Numbers scare me a little.');
    await expectAccessible(page, 'play on a phone: reconnected');
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);

  it('a finished actor sees their code again in a fresh browser; a screened-out rater gets the code and goes back to Prolific', async () => {
    // The actor of the first test, on another device (no cookie, no storage), opening Prolific's link again.
    const again = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const actor = await again.newPage();
    await actor.goto(asProlificOpens(study.actorLink, '5f0c1a2b3c4d5e6f7a8b9c0d'));
    await actor.waitForURL(/\/done$/);
    await expect(actor.getByLabel('Completion code').textContent()).resolves.toBe('DONE123');
    await expectAccessible(actor, 'done: returning actor in a fresh browser');
    await shot(actor, 'done-again-fresh-browser.png');
    await again.close();

    // The researcher adds a screening question and a return link for those screened out (pause, change, reopen).
    const api = (method: string, path: string, body?: unknown) =>
      fetch(`${served.url}/api/studies/${study.studyId}${path}`, {
        method,
        headers: {
          ...study.headers,
          origin: served.url,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    expect((await api('POST', '/pause')).status).toBe(200);
    const { settings } = (await (await api('GET', '/settings')).json()) as { settings: Record<string, unknown> };
    const { status: _status, ...body } = settings;
    const returnUrl = `${served.url}/back-on-prolific?cc=SCREEN9`;
    const put = await api('PUT', '/settings', {
      ...body,
      screeningQuestion: 'Do you read English fluently?',
      completionCodes: { ...(body['completionCodes'] as object), screenedOut: 'SCREEN9' },
      completionUrls: { ...(body['completionUrls'] as object), screenedOut: returnUrl },
    });
    expect(put.status).toBe(200);
    expect((await api('POST', '/open')).status).toBe(200);

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const rater = await context.newPage();
    await rater.goto(asProlificOpens(study.raterLink, '7c2d3e4f5a6b7c8d9e0f1a2b'));
    await rater.getByText('Do you read English fluently?').waitFor();
    await expectAccessible(rater, 'screening');
    await rater.getByRole('button', { name: 'Continue' }).click();
    await rater.getByText('Please answer yes or no to continue.').waitFor();
    await expectAccessible(rater, 'screening: continued without an answer');
    await rater.getByLabel('No', { exact: true }).check();
    await shot(rater, 'screening.png');
    await rater.getByRole('button', { name: 'Continue' }).click();
    await rater.waitForURL(/\/done$/);
    await expect(rater.getByLabel('Completion code').textContent()).resolves.toBe('SCREEN9');
    await expect(rater.getByRole('link', { name: 'Continue to Prolific' }).getAttribute('href')).resolves.toBe(
      returnUrl,
    );
    await rater.getByText(/Taking you back to Prolific in \d s/).waitFor();
    await expectAccessible(rater, 'done: screened out, redirect countdown');
    await shot(rater, 'done-screened-out.png');
    // After a few seconds the page sends them to the study's completion URL by itself.
    await rater.waitForURL(/\/back-on-prolific\?cc=SCREEN9$/, { timeout: 10_000 });
    await context.close();
  }, 120_000);

  it('the researcher sees raters by Prolific id and downloads the participants table to pay on Prolific', async () => {
    const page = researcher;
    await openTab(page, 'Assignments');
    await page.getByRole('table', { name: 'Raters' }).getByText('60aa1b2c3d4e5f6a7b8c9d0e').waitFor();
    await openTab(page, 'Live monitor');
    await page.getByRole('table', { name: 'Live episodes' }).getByText('5f0c1a2b3c4d5e6f7a8b9c0d').first().waitFor();
    await expectAccessible(page, 'console: live monitor after the journey');

    await openTab(page, 'Exports');
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download participants as CSV' }).click();
    const [header, ...lines] = readFileSync(await (await download).path(), 'utf8')
      .trim()
      .split('\r\n')
      .map((line) => line.split(','));
    const column = (name: string) => (header ?? []).indexOf(name);
    const byPid = new Map(lines.map((cells) => [cells[column('prolific_pid')], cells]));
    // Every person of the journey, each with their Prolific id; Prolific ids contain no comma or quote.
    for (const pid of [
      '5f0c1a2b3c4d5e6f7a8b9c0d',
      '6b1c2d3e4f5a6b7c8d9e0f1a',
      '60aa1b2c3d4e5f6a7b8c9d0e',
      '7c2d3e4f5a6b7c8d9e0f1a2b',
    ])
      expect(byPid.has(pid), pid).toBe(true);
    const actor = byPid.get('5f0c1a2b3c4d5e6f7a8b9c0d') ?? [];
    expect([actor[column('role')], actor[column('outcome')], actor[column('completion_code')]]).toEqual([
      'actor',
      'completed',
      'DONE123',
    ]);
    const screened = byPid.get('7c2d3e4f5a6b7c8d9e0f1a2b') ?? [];
    expect([screened[column('outcome')], screened[column('completion_code')]]).toEqual(['screened_out', 'SCREEN9']);
    expect(researcherErrors).toEqual([]);
  }, 120_000);
});
