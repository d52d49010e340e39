import type { Page } from 'playwright-core';

/** What a participant does on the way in and when rating, found the way a screen reader finds it. */

export async function acceptConsent(page: Page): Promise<void> {
  await page.getByRole('heading', { name: /Information and consent/ }).waitFor();
  // Continuing without the tick is refused, with a reason.
  await page.getByRole('button', { name: 'Continue' }).click();
  await page
    .getByRole('alert')
    .filter({ hasText: /tick the box/ })
    .waitFor();
  await page.getByLabel(/I have read the information above/).check();
  await page.getByRole('button', { name: 'Continue' }).click();
}

/**
 * Scores every criterion and correctness from the keyboard only: digits score and move on to the next criterion,
 * Y/N answer correctness, and an arrow key changes the score where focus is (the first criterion's, +1).
 */
export async function scoreWithKeyboard(page: Page, scores: number[], correct: 'y' | 'n'): Promise<void> {
  await page.locator('[data-scale="0"] input[type="radio"]').first().focus();
  for (const score of scores) await page.keyboard.press(String(score));
  await page.keyboard.press(correct);
  // Back to the first criterion (Shift+Tab walks back through the groups), one step up with the arrow.
  for (let i = 0; i < scores.length; i++) await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('ArrowDown');
}

/** How many criteria the rating form shows. */
export async function criterionCount(page: Page): Promise<number> {
  return page.locator('[data-scale]:not([data-scale="correctness"])').count();
}
