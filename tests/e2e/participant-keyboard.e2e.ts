import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-files.ts';
import { expectAccessible } from './support/accessibility.ts';
import { servedWithModel } from './support/served-with-model.ts';
import { asProlificOpens, setUpLiveStudy } from './support/live-study-setup.ts';
import { pacedAssistant } from './support/paced-assistant.ts';
import { acceptConsent } from './support/participant-steps.ts';

// An actor on a phone-sized screen, from the keyboard: the practice round's tagging hint, where focus lands after
// practice, no sideways scrolling on the play page, and one Tab stop per rubric criterion when rating (a phone shows
// one criterion at a time: Tab goes from it to Next, a digit scores it and brings up the next).

const dir = tempDir();
const admin = { username: 'admin', password: 'a long enough password' };
const MODEL = 'keyboard-mut-2d8';
const app = servedWithModel({
  dir,
  model: MODEL,
  database: 'keyboard.sqlite',
  admin,
  respond: pacedAssistant({ chunks: 3, chunkDelayMs: 20 }),
});

const questions = (page: Page) => page.getByRole('article', { name: /^Question \d/ });

async function reply(page: Page, text: string): Promise<void> {
  const box = page.getByLabel('Your reply');
  await box.fill(text);
  await box.press('Enter');
}

/** What has focus: its tag, and the criterion (data-scale) it sits in, if any. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return { tag: el?.tagName ?? null, scale: el?.closest('[data-scale]')?.getAttribute('data-scale') ?? null };
  });

describe('an actor on a phone uses the keyboard', () => {
  it('tags the practice question with a key, lands on a heading, never scrolls sideways, and tabs criterion by criterion', async () => {
    const setup = await app.browser.newContext({ viewport: { width: 1400, height: 900 } });
    const study = await setUpLiveStudy(await setup.newPage(), app.served.url, admin, MODEL);
    await setup.close();

    const context = await app.browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(asProlificOpens(study.actorLink, '5a6b7c8d9e0f1a2b3c4d5e6f'));
    await acceptConsent(page);
    await page.getByRole('button', { name: 'Try a practice round' }).waitFor();
    await expectAccessible(page, 'instructions on a phone');
    await page.getByRole('button', { name: 'Try a practice round' }).click();

    // The second practice question's hint: "focus it and press 2" tags it as redundant.
    await page.getByText('Your turn').waitFor();
    await expectAccessible(page, 'practice: first question on a phone');
    await reply(page, 'Just the result, please.');
    await page.getByText(/focus it .* and press 2/).waitFor();
    await expectAccessible(page, 'practice: the tagging hint on a phone');
    const second = page.getByRole('article').filter({ hasText: 'compared this with other recipes' });
    await second.focus();
    await expect(second.getAttribute('aria-label')).resolves.toBe('Question 2. Press 1 to 4 to tag it.');
    await page.keyboard.press('2');
    await expect
      .poll(() => second.getByRole('button', { name: /Redundant/, pressed: true }).count(), { timeout: 2000 })
      .toBe(1);
    await expectAccessible(page, 'practice: a question tagged on a phone');
    await reply(page, 'No strong feelings about that.');
    await page.getByRole('button', { name: 'Start the real task' }).waitFor();
    await expectAccessible(page, 'practice done on a phone');
    await page.getByRole('button', { name: 'Start the real task' }).click();
    await page.waitForURL(/\/play$/);

    // Focus is never dropped on the body: it lands on the play page's heading, and moves on to the reply box as soon
    // as the first question is there to answer.
    await page.getByRole('heading', { name: 'Chat with the model' }).waitFor();
    await expect
      .poll(async () => ['H1', 'TEXTAREA'].includes((await focused(page)).tag ?? ''), { timeout: 2000 })
      .toBe(true);
    await questions(page).first().waitFor({ timeout: 20_000 });
    await expect.poll(async () => (await focused(page)).tag, { timeout: 5000 }).toBe('TEXTAREA');
    await expectAccessible(page, 'play: first question on a phone');

    // No sideways scrolling on a 390 px screen.
    const widths = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);

    for (const text of ['Not very familiar.', 'A picture first.', 'Bees.']) {
      const asked = await questions(page).count();
      await reply(page, text);
      const answered = page.getByRole('button', { name: 'Rate the answer' });
      await Promise.race([questions(page).nth(asked).waitFor({ timeout: 20_000 }), answered.waitFor()]);
      if (await answered.count()) break;
    }
    await expectAccessible(page, 'play: final answer on a phone');
    await page.getByRole('button', { name: 'Rate the answer' }).click();
    await page.waitForURL(/\/rate$/);

    // An unscored criterion is one Tab stop: one Tab from it lands on Next (not on the criterion's next radio).
    await page.locator('[data-scale="0"]').waitFor();
    await expectAccessible(page, 'self-rating on a phone');
    expect(await page.locator('[data-scale="1"]').count()).toBe(0);
    await page.locator('[data-scale="0"] input[type="radio"]').first().focus();
    await page.keyboard.press('Tab');
    expect(await focused(page)).toEqual({ tag: 'BUTTON', scale: null });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toMatch(/^Next/);
    // Shift+Tab goes back to the criterion; arrows move within it; keys 1–5 score it and bring up the next.
    await page.keyboard.press('Shift+Tab');
    expect((await focused(page)).scale).toBe('0');
    await page.keyboard.press('ArrowDown');
    await expect(page.locator('[data-scale="0"] input:checked').inputValue()).resolves.toBe('2');
    expect((await focused(page)).scale).toBe('0');
    await page.keyboard.press('4');
    await expect.poll(async () => (await focused(page)).scale, { timeout: 2000 }).toBe('1');
    await page.getByRole('button', { name: 'Previous' }).click();
    await expect(page.locator('[data-scale="0"] input:checked').inputValue()).resolves.toBe('4');
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000);
});
