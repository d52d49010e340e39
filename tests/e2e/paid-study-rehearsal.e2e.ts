import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fake-openai-server.ts';
import { serveProcess, type ServedApp } from '../support/serve-process.ts';
import { tempDir, writeFile } from '../support/temp-files.ts';
import { e2eSettings } from '../support/test-env.ts';
import { expectAccessible } from './support/accessibility.ts';
import { openTab, shot } from './support/console-pages.ts';
import { waitForCandidates, type OpenedStudy } from './support/live-study-setup.ts';
import { pacedAssistant } from './support/paced-assistant.ts';
import { OUTCOME_KEYS, setUpPaidStudy, type OutcomeKey, type PaidStudyPlan } from './support/paid-study-setup.ts';
import { acceptConsent, criterionCount, scoreWithKeyboard } from './support/participant-steps.ts';
import { startProlificStandIn, type ProlificStandIn } from './support/prolific-stand-in.ts';

// The rehearsal of a paid Prolific study (docs/studies-and-ratings.md): the researcher configures everything a paid
// study needs in the settings form; two actors and two raters come in with Prolific ids; one actor finishes, one is
// screened out; one rater finishes their quota, the other runs out of work and gets the no-work code (the 'code'
// policy); everyone is sent to the study's completion URL on a Prolific stand-in; the finished actor sees their code
// again in a fresh browser; the participants export names every Prolific id with its outcome and code.

const dir = tempDir();
const shots = e2eSettings(dir).screenshotDir;
const admin = { username: 'admin', password: 'a long enough password' };
const MODEL = 'rehearsal-mut-4c1';
const CODES: Record<OutcomeKey, string> = {
  completed: 'C7PAID01',
  failedAttention: 'C7ATTN02',
  timedOut: 'C7TIME03',
  screenedOut: 'C7SCRN04',
  noWork: 'C7NOWK05',
};
// Prolific ids are 24 hexadecimal characters; the study refuses anything else.
const PID = {
  actorDone: '64b0c1d2e3f4a5b6c7d8e9f0',
  actorScreened: '64b0c1d2e3f4a5b6c7d8e9f1',
  raterDone: '65c1d2e3f4a5b6c7d8e9f0a1',
  raterOutOfWork: '65c1d2e3f4a5b6c7d8e9f0a2',
};
const PROLIFIC_STUDY = '6571a2b3c4d5e6f7a8b9c0d1';

/**
 * An invitation link as Prolific opens it for one person: their id, the study's id and a session id of their own
 * (Prolific gives each person's visit its own SESSION_ID; a returning browser proves who it is with it).
 */
function prolificOpens(link: string, pid: string): string {
  return link
    .replace('{{%PROLIFIC_PID%}}', pid)
    .replace('{{%STUDY_ID%}}', PROLIFIC_STUDY)
    .replace('{{%SESSION_ID%}}', `session-${pid.slice(-6)}`);
}
const ACTOR_CONSENT = 'Actors: you will chat as a described person for about ten minutes. Paid £2.50 on Prolific.';
const RATER_CONSENT = 'Raters: you will score two answers against a rubric. Paid £1.50 on Prolific.';
const ACTOR_INSTRUCTIONS = 'Stay in character. One or two sentences per reply are enough.';
const RATER_INSTRUCTIONS = 'Score each answer for the person described, not for yourself.';
const SCREENING = 'Do you read English fluently?';

let models: FakeOpenAiServer;
let prolific: ProlificStandIn;
let served: ServedApp;
let browser: Browser;
let study: OpenedStudy;
let researcher: Page;
const errors: string[] = [];

beforeAll(async () => {
  models = await startFakeOpenAiServer();
  // Quick turns: this journey is about the study's way in and out, not streaming.
  models.respondWith(pacedAssistant({ chunks: 3, chunkDelayMs: 20 }));
  prolific = await startProlificStandIn();
  const modelsFile = writeFile(
    dir,
    'models.json',
    JSON.stringify({
      models: [{ name: MODEL, provider: 'openai-compatible', model: MODEL, baseUrl: models.baseUrl, maxRetries: 1 }],
    }),
  );
  served = await serveProcess({
    PREFDISCO_DB: join(dir, 'rehearsal.sqlite'),
    PREFDISCO_MODELS_FILE: modelsFile,
    PREFDISCO_ADMIN_USERNAME: admin.username,
    PREFDISCO_ADMIN_PASSWORD: admin.password,
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  expect(await served?.stop()).toBe(0);
  await models?.close();
  await prolific?.close();
});

/** A participant's own browser: no cookie or storage shared with anyone else; page errors fail the journey. */
async function freshBrowser(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page };
}

/** The screening question, answered; the question is the researcher's text. */
async function answerScreening(page: Page, answer: 'Yes' | 'No', shotName?: string): Promise<void> {
  await page.getByRole('heading', { name: 'One question first' }).waitFor();
  await page.getByText(SCREENING).waitFor();
  await page.getByLabel(answer, { exact: true }).check();
  // Nothing to withdraw from before agreeing to take part.
  expect(await page.getByRole('button', { name: 'Withdraw' }).count()).toBe(0);
  await expectAccessible(page, `screening: answered ${answer}`);
  if (shotName) await shot(page, shots, shotName, false);
  await page.getByRole('button', { name: 'Continue' }).click();
}

/** The done page shows `code`, then sends the participant to its completion URL on the Prolific stand-in. */
/** The line above the code: only a completed task is promised pay. */
const LEAD = {
  paid: 'Your completion code — enter it on Prolific to be paid:',
  noPromise: 'Your completion code — enter it on Prolific:',
} as const;

async function expectCodeThenProlific(page: Page, code: string, name: string, lead: keyof typeof LEAD): Promise<void> {
  await page.waitForURL(/\/done$/);
  await expect(page.getByLabel('Completion code').textContent()).resolves.toBe(code);
  await page.getByText(LEAD[lead], { exact: true }).waitFor();
  await expect(page.getByRole('link', { name: 'Continue to Prolific' }).getAttribute('href')).resolves.toBe(
    prolific.completionUrl(code),
  );
  await page.getByText(/Taking you back to Prolific in \d s/).waitFor();
  await expectAccessible(page, `done: ${name}, redirect countdown`);
  await shot(page, shots, `${name}-done`, false);
  await page.waitForURL(prolific.completionUrl(code), { timeout: 10_000 });
  await expect(page.locator('#code').textContent()).resolves.toBe(code);
  await shot(page, shots, `${name}-on-prolific`, false);
}

async function reply(page: Page, text: string): Promise<void> {
  const box = page.getByLabel('Your reply');
  await box.fill(text);
  await box.press('Enter');
}

describe('a paid-study rehearsal: Prolific ids, screening, codes and return links, out of work, the export', () => {
  it('the researcher configures consent, instructions, screening, codes and return URLs in the form, and opens the study', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    researcher = await context.newPage();
    researcher.on('pageerror', (e) => errors.push(e.message));
    const plan: PaidStudyPlan = {
      model: MODEL,
      problemId: 'problem_0_okafor_3b09eb59',
      consent: { actor: ACTOR_CONSENT, rater: RATER_CONSENT },
      instructions: { actor: ACTOR_INSTRUCTIONS, rater: RATER_INSTRUCTIONS },
      minutes: { actor: 12, rater: 6 },
      screeningQuestion: SCREENING,
      codes: CODES,
      urls: Object.fromEntries(OUTCOME_KEYS.map((k) => [k, prolific.completionUrl(CODES[k])])) as Record<
        OutcomeKey,
        string
      >,
      // One answer and its simulated twin to rate, each by one rater; two judgments each: whoever comes second has
      // one answer for a quota of two, and runs out.
      raterOverlap: 1,
      ratingsPerRater: 2,
      outOfWork: 'code',
    };
    study = await setUpPaidStudy(researcher, served.url, admin, plan);
    await shot(researcher, shots, 'rehearsal-01-researcher-invites', false);
    await openTab(researcher, 'Settings');
    await researcher.getByRole('heading', { name: 'Prolific: more codes, return links, screening' }).waitFor();
    await expectAccessible(researcher, 'console: settings of an open paid study');
    await shot(researcher, shots, 'rehearsal-00-researcher-settings');

    // The saved settings are what the form said.
    const res = await fetch(`${served.url}/api/studies/${study.studyId}/settings`, { headers: study.headers });
    const { settings } = (await res.json()) as { settings: Record<string, unknown> };
    expect(settings).toMatchObject({
      status: 'open',
      consentText: ACTOR_CONSENT,
      raterConsentText: RATER_CONSENT,
      instructions: { actor: ACTOR_INSTRUCTIONS, rater: RATER_INSTRUCTIONS },
      estimatedMinutes: { actor: 12, rater: 6 },
      screeningQuestion: SCREENING,
      completionCodes: CODES,
      completionUrls: plan.urls,
      requireProlificIdFormat: true,
      outOfWork: { policy: 'code' },
      raterOverlap: 1,
      quotas: { ratingsPerRater: 2 },
    });
  }, 120_000);

  it('a link opened with a Prolific id that is not one is refused, saying why', async () => {
    const { context, page } = await freshBrowser();
    await page.goto(prolificOpens(study.actorLink, 'not-a-prolific-id'));
    await page.getByText('Could not open this invitation').waitFor();
    await page.getByText(/Prolific ID that is not valid/).waitFor();
    await expectAccessible(page, 'join page: Prolific id refused');
    await shot(page, shots, 'rehearsal-02-bad-prolific-id', false);
    await context.close();
  }, 60_000);

  it('actor 1 answers yes, reads the actor consent and instructions, plays, self-rates, gets the code and goes to Prolific', async () => {
    const { context, page } = await freshBrowser();
    await page.goto(prolificOpens(study.actorLink, PID.actorDone));
    await answerScreening(page, 'Yes');
    await page.getByRole('heading', { name: /Information and consent/ }).waitFor();
    await page.getByText(ACTOR_CONSENT).waitFor();
    await page.getByText('About 12 minutes in all').waitFor();
    expect(await page.getByText(RATER_CONSENT).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Withdraw' }).count()).toBe(0);
    await shot(page, shots, 'rehearsal-03-actor-consent', false);
    await acceptConsent(page);
    // Agreed: from now on the header offers to withdraw.
    await page.getByRole('button', { name: 'Withdraw' }).waitFor();
    await page.getByRole('button', { name: 'Try a practice round' }).click();
    await page.getByRole('button', { name: 'Go to the real task' }).click();
    await page.waitForURL(/\/play$/);
    // The study's actor instructions sit beside the chat.
    await page.getByText(ACTOR_INSTRUCTIONS).first().waitFor();
    await expectAccessible(page, 'play: waiting for the first question');
    const questions = page.getByRole('article', { name: /^Question \d/ });
    for (const [i, text] of ['Only a little.', 'A picture first, please.', 'My bees build hexagons.'].entries()) {
      await questions.nth(i).waitFor({ timeout: 20_000 });
      await reply(page, text);
    }
    await page.getByRole('button', { name: 'Rate the answer' }).waitFor({ timeout: 20_000 });
    await expectAccessible(page, 'play: final answer');
    await shot(page, shots, 'rehearsal-04-actor-play', false);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/rate$/);
    await scoreWithKeyboard(
      page,
      Array.from({ length: await criterionCount(page) }, () => 4),
      null,
    );
    await shot(page, shots, 'rehearsal-04b-actor-self-rating', false);
    await page.keyboard.press('Enter');
    await expectCodeThenProlific(page, CODES.completed, 'rehearsal-05-actor', 'paid');
    await context.close();
  }, 180_000);

  it('actor 2 answers no to the screening question: the screened-out code, then Prolific', async () => {
    const { context, page } = await freshBrowser();
    await page.goto(prolificOpens(study.actorLink, PID.actorScreened));
    await answerScreening(page, 'No', 'rehearsal-06-screening-no');
    await page.getByText(/this study is not the right fit for you/).waitFor();
    await expectAccessible(page, 'done: screened out');
    expect(await page.getByRole('button', { name: 'Withdraw' }).count()).toBe(0);
    await expectCodeThenProlific(page, CODES.screenedOut, 'rehearsal-06-screened-out', 'noPromise');
    await context.close();
  }, 60_000);

  it('rater 1 reads the rater consent and instructions, rates one answer, cannot judge the other: quota met, completed', async () => {
    await waitForCandidates(served.url, study, 2);
    const { context, page } = await freshBrowser();
    await page.goto(prolificOpens(study.raterLink, PID.raterDone));
    await answerScreening(page, 'Yes');
    await page.getByText(RATER_CONSENT).waitFor();
    await page.getByText('About 6 minutes in all').waitFor();
    expect(await page.getByText(ACTOR_CONSENT).count()).toBe(0);
    await shot(page, shots, 'rehearsal-07-rater-consent', false);
    await acceptConsent(page);
    await page.getByRole('button', { name: 'Start rating' }).click();
    await page.waitForURL(/\/rate$/);
    const heading = page.getByRole('heading', { name: /Rate this answer for the person who asked/ });
    await heading.waitFor();
    await expectAccessible(page, 'rater item');
    // The study's rater instructions are one click away on every item.
    await page.getByRole('button', { name: 'Instructions' }).click();
    await page.getByRole('dialog', { name: 'Instructions' }).getByText(RATER_INSTRUCTIONS).waitFor();
    await expectAccessible(page, 'rater instructions dialog');
    await shot(page, shots, 'rehearsal-08-rater-instructions', false);
    // Both ways back are in view without scrolling, however long the instructions are.
    for (const name of ['Close the instructions', 'Back to the task']) {
      const box = await page.getByRole('button', { name }).boundingBox();
      expect(box && box.y >= 0 && box.y + box.height <= 860, name).toBe(true);
    }
    await page.getByRole('button', { name: 'Back to the task' }).click();
    await page.getByRole('dialog', { name: 'Instructions' }).waitFor({ state: 'detached' });

    await scoreWithKeyboard(
      page,
      Array.from({ length: await criterionCount(page) }, () => 3),
      'y',
    );
    await page.keyboard.press('Enter');
    await page.getByText(/Your last rating was saved/).waitFor();
    await expectAccessible(page, 'rater: rating saved, next item');
    // The second answer: set aside as "can't judge"; it counts toward the quota and goes to another rater.
    await page.getByRole('button', { name: 'I can’t judge this' }).click();
    const dialog = page.getByRole('dialog', { name: 'Why can’t you judge this answer?' });
    // "Another reason" needs the reason written: the skip button waits for it.
    const skip = dialog.getByRole('button', { name: 'Skip this answer' });
    await dialog.getByLabel('Another reason (say which below)').check();
    await dialog.getByText('Say briefly why.').waitFor();
    expect(await skip.isDisabled()).toBe(true);
    await dialog.getByRole('textbox', { name: /Your reason/ }).fill('A note.');
    expect(await skip.isEnabled()).toBe(true);
    await dialog.getByRole('textbox', { name: /Your reason/ }).fill('');
    await dialog.getByLabel('It needs knowledge I do not have').check();
    await expectAccessible(page, 'can’t-judge dialog');
    await shot(page, shots, 'rehearsal-09-rater-cant-judge', false);
    await dialog.getByRole('button', { name: 'Skip this answer' }).click();
    await expectCodeThenProlific(page, CODES.completed, 'rehearsal-10-rater-completed', 'paid');
    await context.close();
  }, 120_000);

  it('rater 2 rates the answer set aside, then runs out of work: the no-work code, then Prolific', async () => {
    const { context, page } = await freshBrowser();
    await page.goto(prolificOpens(study.raterLink, PID.raterOutOfWork));
    await answerScreening(page, 'Yes');
    await acceptConsent(page);
    await page.getByRole('button', { name: 'Start rating' }).click();
    await page.getByRole('heading', { name: /Rate this answer for the person who asked/ }).waitFor();
    await scoreWithKeyboard(
      page,
      Array.from({ length: await criterionCount(page) }, () => 2),
      'n',
    );
    await page.keyboard.press('Enter');
    await page.getByText(/There are no more answers for you to rate in this study/).waitFor();
    await expectAccessible(page, 'rater: out of work');
    await expectCodeThenProlific(page, CODES.noWork, 'rehearsal-11-rater-no-work', 'noPromise');
    await context.close();
  }, 120_000);

  it('actor 1, back from a fresh browser, sees their code again and may stay on the page', async () => {
    const { context, page } = await freshBrowser();
    await page.goto(prolificOpens(study.actorLink, PID.actorDone));
    await page.waitForURL(/\/done$/);
    await expect(page.getByLabel('Completion code').textContent()).resolves.toBe(CODES.completed);
    await page.getByRole('button', { name: 'Stay on this page' }).click();
    await page.getByText('Use the button when you are ready.').waitFor();
    await expectAccessible(page, 'done: returning actor stays');
    await shot(page, shots, 'rehearsal-12-actor-back-fresh-browser', false);
    // Staying means staying: no redirect after the countdown would have run out.
    await page.waitForTimeout(6_000);
    expect(new URL(page.url()).pathname).toBe('/done');
    // Their one play (playsPerActor 1) is used: nothing promises another task.
    expect(await page.getByRole('button', { name: 'Check for another task' }).count()).toBe(0);
    await context.close();
    // Everyone who finished went to their own completion URL, once; the returning actor stayed.
    expect(prolific.visits).toEqual([CODES.completed, CODES.screenedOut, CODES.completed, CODES.noWork]);
  }, 60_000);

  it('the researcher downloads the participants table: every Prolific id with its role, outcome and code', async () => {
    await researcher.reload();
    await openTab(researcher, 'Exports');
    const download = researcher.waitForEvent('download');
    await researcher.getByRole('link', { name: 'Download participants as CSV' }).click();
    // Kept beside the screenshots, for a person to read.
    const csvPath = join(shots, 'rehearsal-participants.csv');
    await (await download).saveAs(csvPath);
    const rows = parse(readFileSync(csvPath, 'utf8'), { columns: true }) as Record<string, string>[];
    await expectAccessible(researcher, 'console: exports after the rehearsal');
    await shot(researcher, shots, 'rehearsal-13-researcher-exports', false);
    const seen = rows.map((r) => [r['prolific_pid'], r['role'], r['outcome'], r['completion_code']]);
    // The refused id never became a participant: nothing is stored for a refused join.
    expect(seen).toEqual([
      [PID.actorDone, 'actor', 'completed', CODES.completed],
      [PID.actorScreened, 'actor', 'screened_out', CODES.screenedOut],
      [PID.raterDone, 'rater', 'completed', CODES.completed],
      [PID.raterOutOfWork, 'rater', 'no_work', CODES.noWork],
    ]);
    const byPid = new Map(rows.map((r) => [r['prolific_pid'], r]));
    expect(byPid.get(PID.actorDone)?.['plays_self_rated']).toBe('1');
    expect(byPid.get(PID.actorScreened)?.['plays_started']).toBe('0');
    expect(byPid.get(PID.raterOutOfWork)?.['ratings_done']).toBe('1');
    // The rater who met the quota of 2 rated one answer and could not judge the other: both are shown, so a
    // researcher paying per item pays for both.
    expect([byPid.get(PID.raterDone)?.['ratings_done'], byPid.get(PID.raterDone)?.['cant_judge']]).toEqual(['1', '1']);
    expect(errors).toEqual([]);
  }, 120_000);
});
