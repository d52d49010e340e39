import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { e2eSettings } from '../support/test-env.ts';
import { tempDir } from '../support/temp-files.ts';
import { expectAccessible } from './support/accessibility.ts';
import { servedWithModel } from './support/served-with-model.ts';
import { asProlificOpens, setUpLiveStudy, waitForCandidates, type OpenedStudy } from './support/live-study-setup.ts';
import { pacedAssistant } from './support/paced-assistant.ts';
import { acceptConsent, criterionCount } from './support/participant-steps.ts';

// Participants on a 390×844 phone (issue 15): the persona and hidden preferences one tap from the chat without losing
// the draft, rating one criterion at a time with the answer one tap away, never more than a screen of scrolling to
// reach what is needed, and no sideways scrolling anywhere.

const dir = tempDir();
const { screenshotDir: shots } = e2eSettings(dir);
const admin = { username: 'admin', password: 'a long enough password' };
const MODEL = 'phone-mut-5c1';
const app = servedWithModel({
  dir,
  model: MODEL,
  database: 'phone.sqlite',
  admin,
  respond: pacedAssistant({ chunks: 3, chunkDelayMs: 20 }),
});
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
let study: OpenedStudy;

const shot = (page: Page, name: string, fullPage = false): Promise<Buffer> =>
  page.screenshot({ path: join(shots, name), animations: 'disabled', fullPage });
const questions = (page: Page) => page.getByRole('article', { name: /^Question \d/ });

/** The page is never wider than the screen: nothing to scroll sideways. */
async function expectNoSidewaysScroll(page: Page, state: string): Promise<void> {
  const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: innerWidth }));
  expect(widths.scroll, `sideways scroll on "${state}"`).toBeLessThanOrEqual(widths.inner);
}

/**
 * How far the top of `target` is below the top of the screen, in screens: at most 1 means it is reachable with at most
 * one screen of scrolling from where the participant is now (and a target above the screen counts as out of reach).
 */
async function screensAway(target: Locator): Promise<number> {
  return target.evaluate((el) => {
    const top = el.getBoundingClientRect().top;
    return top < 0 ? Infinity : top / innerHeight;
  });
}

/** How many criteria the stepper counts ("Criterion 1 of 7"; no stepper for a single criterion). */
async function steppedCriteria(page: Page): Promise<number> {
  const position = page.getByText(/^Criterion 1 of \d+$/);
  if ((await position.count()) === 0) return 1;
  return Number(/of (\d+)/.exec((await position.textContent()) ?? '')?.[1]);
}

/** The document's height, in px and in screens: what a participant would scroll through. */
const pageHeight = (page: Page) => page.evaluate(() => document.documentElement.scrollHeight);

async function phonePage(): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await app.browser.newContext(PHONE);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page, errors };
}

/**
 * Steps through every criterion with Next, scoring each by tapping a level (all but `skip`), and checks each is on
 * screen and announced as "Criterion i of n" when reached.
 */
async function scoreByTapping(page: Page, count: number, score: number, skip: number | null): Promise<void> {
  for (let i = 0; i < count; i++) {
    const criterion = page.locator(`[data-scale="${i}"]`);
    await criterion.waitFor();
    expect(await page.locator('[data-scale]:not([data-scale="correctness"])').count(), 'one criterion at a time').toBe(
      1,
    );
    if (count > 1) await page.getByText(`Criterion ${i + 1} of ${count}`).waitFor();
    expect(await screensAway(criterion), `criterion ${i + 1} within a screen`).toBeLessThanOrEqual(1);
    if (i !== skip)
      await criterion
        .locator('label')
        .nth(score - 1)
        .click();
    if (i + 1 < count) await page.getByRole('button', { name: 'Next', exact: true }).click();
  }
}

describe('participants on a 390×844 phone', () => {
  it('an actor finds persona and preferences one tap from the chat, keeps the draft, and self-rates one criterion at a time', async () => {
    // The researcher's side on a desktop screen (a test, not the hook: its pages are checked for accessibility too).
    const setup = await app.browser.newContext({ viewport: { width: 1400, height: 900 } });
    study = await setUpLiveStudy(await setup.newPage(), app.served.url, admin, MODEL);
    await setup.close();

    const { context, page, errors } = await phonePage();
    await page.goto(asProlificOpens(study.actorLink, '5a6b7c8d9e0f1a2b3c4d5e01'));
    await acceptConsent(page);
    await page.getByRole('button', { name: 'Try a practice round' }).click();
    await page.getByRole('button', { name: 'Go to the real task' }).click();
    await page.waitForURL(/\/play$/);
    await questions(page).first().waitFor({ timeout: 20_000 });

    // The chat is the page: the persona button and the reply box are both on screen, nothing below to scroll to.
    const personaButton = page.getByRole('button', { name: 'Persona & preferences' });
    const box = page.getByLabel('Your reply');
    expect(await screensAway(personaButton)).toBeLessThan(1);
    expect(await box.evaluate((el) => el.getBoundingClientRect().bottom <= innerHeight)).toBe(true);
    expect(await pageHeight(page)).toBeLessThanOrEqual(844);
    await expectNoSidewaysScroll(page, 'phone play');
    await expectAccessible(page, 'phone play: first question');
    await shot(page, 'phone-play.png');

    // Half a reply typed, then the persona opened and closed: the draft is still there.
    // The same page turned into a desktop window: the persona beside the chat, the draft untouched.
    await box.fill('Honestly, I only know hexagons from');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('complementary', { name: 'Your persona' }).getByText('You are playing').waitFor();
    await expect(box.inputValue()).resolves.toBe('Honestly, I only know hexagons from');
    await expectAccessible(page, 'desktop play');
    await shot(page, 'desktop-play.png');
    await page.setViewportSize(PHONE.viewport);
    await personaButton.waitFor();

    await personaButton.click();
    const drawer = page.getByRole('dialog', { name: 'Your persona' });
    await drawer.waitFor();
    const playing = drawer.getByText('You are playing');
    const hidden = drawer.getByRole('heading', { name: 'Hidden preferences' });
    // Polled: the drawer slides up, so its content reaches its place a moment after it opens.
    await expect.poll(() => screensAway(playing), { timeout: 3000 }).toBeLessThan(1);
    await expect.poll(() => screensAway(hidden), { timeout: 3000 }).toBeLessThanOrEqual(1);
    await expectNoSidewaysScroll(page, 'phone play: persona drawer');
    await expectAccessible(page, 'phone play: persona drawer');
    await shot(page, 'phone-play-persona.png');
    await drawer.getByRole('listitem').last().scrollIntoViewIfNeeded();
    await shot(page, 'phone-play-preferences.png');
    await drawer.getByRole('button', { name: 'Back to the chat' }).click();
    await drawer.waitFor({ state: 'detached' });
    await expect(box.inputValue()).resolves.toBe('Honestly, I only know hexagons from');
    // Closing gives focus back to the button that opened it.
    expect(await personaButton.evaluate((el) => el === document.activeElement)).toBe(true);

    // The rest of the chat: each reply waits for the next question, until the model gives its final answer.
    const answered = page.getByRole('button', { name: 'Rate the answer' });
    for (const text of ['Honestly, I only know hexagons from my beehives.', 'A picture first.', 'Bees.']) {
      await box.fill(text);
      const asked = await questions(page).count();
      await box.press('Enter');
      await Promise.race([questions(page).nth(asked).waitFor({ timeout: 20_000 }), answered.waitFor()]);
      if (await answered.count()) break;
    }
    await answered.waitFor({ timeout: 20_000 });
    await expectNoSidewaysScroll(page, 'phone play: final answer');
    await expectAccessible(page, 'phone play: final answer');
    await answered.click();
    await page.waitForURL(/\/rate$/);

    // Self-rating: the answer is open at the top, one criterion below it; the task and preferences one tap away.
    await page.locator('[data-scale="0"]').waitFor();
    const criteria = await steppedCriteria(page);
    expect(criteria).toBeGreaterThan(0);
    await page.getByRole('heading', { name: 'The model’s final answer' }).waitFor();
    expect(await screensAway(page.locator('[data-scale="0"]'))).toBeLessThanOrEqual(1);
    const selfHeight = await pageHeight(page);
    console.info(`phone self-rating page: ${selfHeight} px tall (${criteria} criteria, the answer open)`);
    await expectNoSidewaysScroll(page, 'phone self-rating');
    await expectAccessible(page, 'phone self-rating: answer open');
    await shot(page, 'phone-self-rating.png');
    await page.getByRole('button', { name: 'Task and preferences' }).click();
    const wanted = page.getByRole('heading', { name: /’s preferences$/ });
    await wanted.waitFor();
    expect(await screensAway(wanted)).toBeLessThanOrEqual(1);
    await expectAccessible(page, 'phone self-rating: task open');
    await shot(page, 'phone-self-rating-task.png');
    await page.getByRole('button', { name: 'Hide the task' }).click();

    await scoreByTapping(page, criteria, 4, null);
    await expectNoSidewaysScroll(page, 'phone self-rating: scored');
    await expectAccessible(page, 'phone self-rating: scored');
    await shot(page, 'phone-self-rating-scored.png', true);
    console.info(`phone self-rating page once scored: ${await pageHeight(page)} px tall`);
    await page.getByRole('button', { name: 'Submit my rating' }).click();
    await page.waitForURL(/\/done$/);
    await page.getByText('DONE123').waitFor();
    await expectNoSidewaysScroll(page, 'phone done');
    await expectAccessible(page, 'phone done: actor completed');
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);

  it('a rater scores one criterion at a time with the answer one tap away, and is taken back to a criterion left out', async () => {
    await waitForCandidates(app.served.url, study, 2);
    const { context, page, errors } = await phonePage();
    await page.goto(asProlificOpens(study.raterLink, '60aa1b2c3d4e5f6a7b8c9d01'));
    await acceptConsent(page);
    await page.getByRole('button', { name: 'Start rating' }).click();
    await page.waitForURL(/\/rate$/);
    await page.getByRole('heading', { name: /Rate this answer for the person who asked/ }).waitFor();
    await page.locator('[data-scale="0"]').waitFor();

    // The answer is open at the top and the first criterion right under it.
    // The panel scrolls by itself, and it is the one region of that name: the answer's card inside it is no second
    // landmark called "The answer".
    const answer = page.getByRole('region', { name: 'The answer' });
    await answer.getByText(/27√3/).waitFor();
    expect(await answer.count()).toBe(1);
    expect(await answer.getAttribute('tabindex')).toBe('0');
    expect(await screensAway(answer)).toBeLessThan(1);
    expect(await screensAway(page.locator('[data-scale="0"]'))).toBeLessThanOrEqual(1);
    const criteria = await steppedCriteria(page);
    expect(criteria).toBeGreaterThan(1);
    const raterHeight = await pageHeight(page);
    console.info(`phone rater page: ${raterHeight} px tall (${criteria} criteria, the answer open)`);
    await expectNoSidewaysScroll(page, 'phone rater item');
    await expectAccessible(page, 'phone rater item: answer open');
    await shot(page, 'phone-rater.png');

    // Who asked and what they wanted: one tap, within a screen.
    await page.getByRole('button', { name: 'Task and who asked' }).click();
    const panel = page.getByRole('region', { name: 'The task and who asked' });
    for (const heading of ['The task', 'What this person wanted']) {
      const target = panel.getByRole('heading', { name: heading });
      await target.waitFor();
      // Inside the panel, which scrolls by itself: the distance to scroll is from the panel's top.
      const away = await target.evaluate((el) => {
        const box = el.closest('[role="region"]')?.getBoundingClientRect().top ?? 0;
        return (el.getBoundingClientRect().top - box) / innerHeight;
      });
      expect(away, heading).toBeLessThanOrEqual(1);
    }
    expect(await screensAway(panel.getByText('Who asked'))).toBeLessThanOrEqual(1);
    await expectAccessible(page, 'phone rater item: task and person open');
    await shot(page, 'phone-rater-item.png');
    // Back to the answer, which then closes: the criteria move up under the bar.
    await page.getByRole('button', { name: 'Show the answer' }).click();
    await answer.waitFor();
    await page.getByRole('button', { name: 'Hide the answer' }).click();
    await answer.waitFor({ state: 'detached' });

    // Every criterion but the second scored by tapping, correctness answered: submitting goes back to the second.
    await scoreByTapping(page, criteria, 3, 1);
    // Correctness is one Tab stop too: from Yes, Tab goes on to the comment, not to No; Y answers it.
    await page.getByRole('radio', { name: 'Yes, correct (Y)' }).focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('y');
    await expect(page.getByRole('radio', { name: 'Yes, correct (Y)' }).isChecked()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Submit and next' }).click();
    await page.getByText(`Score every criterion (${criteria - 1} of ${criteria} done).`).waitFor();
    const missing = page.locator('[data-scale="1"]');
    await missing.waitFor();
    await page.getByText(`Criterion 2 of ${criteria}`).waitFor();
    expect(await page.evaluate(() => document.activeElement?.closest('[data-scale]')?.getAttribute('data-scale'))).toBe(
      '1',
    );
    expect(await screensAway(missing)).toBeLessThanOrEqual(1);
    await expectNoSidewaysScroll(page, 'phone rater item: a criterion missing');
    await expectAccessible(page, 'phone rater item: a criterion missing');
    await shot(page, 'phone-rater-missing.png');
    await missing.locator('label').nth(4).click();
    await page.getByRole('button', { name: 'Submit and next' }).click();

    // The next item starts at its first criterion; a score given there survives changing the last rating and back.
    await page.getByRole('button', { name: 'Change it' }).waitFor();
    await page.getByText(`Criterion 1 of ${criteria}`).waitFor();
    await expect(page.locator('[data-scale="0"] input:checked').count()).resolves.toBe(0);
    await page.locator('[data-scale="0"] label').nth(1).click();
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    await page.getByText(`Criterion 2 of ${criteria}`).waitFor();
    await page.getByRole('button', { name: 'Change it' }).click();
    await page.getByRole('heading', { name: 'Change what you said about this answer' }).waitFor();
    await expectNoSidewaysScroll(page, 'phone rater: changing the last rating');
    await expectAccessible(page, 'phone rater: changing the last rating');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText(`Criterion 2 of ${criteria}`).waitFor();
    await page.getByRole('button', { name: 'Previous', exact: true }).click();
    await expect(page.locator('[data-scale="0"] input:checked').inputValue()).resolves.toBe('2');

    // Turned into a desktop window: every criterion beside the item, the score given on the phone still there.
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.locator(`[data-scale="${criteria - 1}"]`).waitFor();
    await expect(criterionCount(page)).resolves.toBe(criteria);
    await expect(page.locator('[data-scale="0"] input:checked').inputValue()).resolves.toBe('2');
    await expectNoSidewaysScroll(page, 'desktop rater item');
    await expectAccessible(page, 'desktop rater item');
    await shot(page, 'desktop-rater.png');
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});
