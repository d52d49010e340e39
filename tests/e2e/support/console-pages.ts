import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expectAccessible } from './accessibility.ts';

/** Moving around the researcher console the way a keyboard or screen-reader user would: by role and name. */

export async function openTab(page: Page, name: string): Promise<void> {
  await page.getByRole('tab', { name }).click();
  await page.getByRole('tabpanel').waitFor();
  await expectAccessible(page, `console: ${name} tab`);
}

export async function openStudy(page: Page, studyName: string): Promise<void> {
  await page.getByRole('link', { name: 'PrefDisco Live' }).click();
  await page.getByRole('link', { name: new RegExp(`^${studyName}`) }).click();
  await page.getByRole('heading', { level: 1, name: studyName }).waitFor();
  await expectAccessible(page, `console: study "${studyName}"`);
}

/** A screenshot for a person to look at (see E2E_SCREENSHOT_DIR): the whole page, or only what is in view. */
export async function shot(page: Page, dir: string, name: string, fullPage = true): Promise<void> {
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage, animations: 'disabled' });
}
