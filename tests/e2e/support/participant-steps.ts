import type { Page } from 'playwright-core';
import { expectAccessible } from './accessibility.ts';

/** What a participant does on the way in and when rating, found the way a screen reader finds it. */

export async function acceptConsent(page: Page): Promise<void> {
  await page.getByRole('heading', { name: /Information and consent/ }).waitFor();
  await expectAccessible(page, 'consent');
  // Continuing without the tick is refused, with a reason.
  await page.getByRole('button', { name: 'Continue' }).click();
  await page
    .getByRole('alert')
    .filter({ hasText: /tick the box/ })
    .waitFor();
  await expectAccessible(page, 'consent: continued without the tick');
  await page.getByLabel(/I have read the information above/).check();
  await page.getByRole('button', { name: 'Continue' }).click();
}

/**
 * Scores every criterion and correctness from the keyboard only: digits score and move on to the next criterion,
 * Y/N answer correctness, and an arrow key changes the score where focus is (the first criterion's, +1).
 */
export async function scoreWithKeyboard(page: Page, scores: number[], correct: 'y' | 'n' | null): Promise<void> {
  await page.locator('[data-scale="0"] input[type="radio"]').first().focus();
  for (const score of scores) await page.keyboard.press(String(score));
  // null: the form does not ask correctness (the actor's self-rating); focus stays on the last criterion.
  if (correct !== null) await page.keyboard.press(correct);
  // Back to the first criterion (Shift+Tab walks back through the groups), one step up with the arrow.
  const back = correct === null ? scores.length - 1 : scores.length;
  for (let i = 0; i < back; i++) await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('ArrowDown');
  await expectAccessible(page, correct === null ? 'self-rating: scored' : 'rater item: scored');
}

/** How many criteria the rating form shows, once it shows one (the page's renderer may still be loading). */
export async function criterionCount(page: Page): Promise<number> {
  await page.locator('[data-scale="0"]').waitFor();
  return page.locator('[data-scale]:not([data-scale="correctness"])').count();
}
