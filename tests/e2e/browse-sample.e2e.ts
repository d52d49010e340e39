import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { serveProcess, type ServedApp } from '../support/serve-process.ts';
import { tempDir } from '../support/temp-files.ts';

const dir = tempDir();
let served: ServedApp;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  served = await serveProcess({ PREFDISCO_DB: join(dir, 'e2e.sqlite') });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
});
afterAll(async () => {
  await browser?.close();
  expect(await served?.stop()).toBe(0);
});

describe('a researcher opens a fresh install', () => {
  it('sees the sample study, its records, and one record with persona, preferences and rubric', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(served.url);
    await page.getByText('Sample benchmark').first().waitFor();
    // 64 records, paged.
    await page.getByText(/of 64/).first().waitFor();
    const firstRow = page.locator('tbody tr').first();
    await expect(firstRow.textContent()).resolves.toContain('problem_0_');
    await firstRow.click();
    // The record panel: the hexagon problem, Chidinma Okafor's persona card and her hidden preferences.
    await page.getByText('Chidinma Okafor').first().waitFor();
    await page.getByText(/regular hexagon/i).first().waitFor();
    await page.getByText('27\\sqrt{3}').first().waitFor();
    await page.screenshot({ path: join(dir, 'record.png') });
    expect(errors).toEqual([]);
  });
});
