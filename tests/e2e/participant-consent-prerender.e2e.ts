import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, CONSENT_TEXT, setUpFirstPaintStudy, type FirstPaintStudy } from '../support/consent-study.ts';
import { tempDir } from '../support/temp-files.ts';
import { expectAccessible } from './support/accessibility.ts';
import { servedWithModel } from './support/served-with-model.ts';

/**
 * The invitation link's consent is in the page the server sends (server/http/join-shell.ts): readable before any
 * script runs, and still there, in the same place, when React takes over and the journey goes on.
 */

const dir = tempDir();
const app = servedWithModel({ dir, model: 'mut', database: 'consent-prerender.sqlite', admin: ADMIN });
let study: FirstPaintStudy;
let person = 0;

beforeAll(async () => {
  study = await setUpFirstPaintStudy(app.served.url, 'mut');
});

const joinUrl = (): string => {
  person += 1;
  return `${app.served.url}/join/${study.actorCode}?PROLIFIC_PID=${person.toString(16).padStart(24, 'a')}`;
};
const CONSENT_START = CONSENT_TEXT.slice(0, 60);

/**
 * Watches the page from before its first byte is parsed (a page script would come too late): whether the consent was
 * ever shown by the server's block, whether it ever left <main> after it first appeared, and where its first
 * paragraph stood in the server's block. A string, not a function: the page's CSP forbids nothing injected this way,
 * but a bundler's helper names would not exist there.
 */
const WATCH = `(() => {
  const want = ${JSON.stringify(CONSENT_START)};
  const seen = { prerendered: false, shown: false, vanished: 0, prerenderedTop: null };
  window.__consentWatch = seen;
  new MutationObserver(() => {
    const main = document.querySelector('main');
    const has = !!main && (main.textContent || '').includes(want);
    if (has) {
      seen.shown = true;
      const block = document.querySelector('[data-prerendered="consent"] .boot-consent p');
      if (block) {
        seen.prerendered = true;
        seen.prerenderedTop = block.getBoundingClientRect().top + window.scrollY;
      }
    } else if (seen.shown) seen.vanished += 1;
  }).observe(document, { childList: true, subtree: true, characterData: true });
})();`;

interface Watch {
  prerendered: boolean;
  shown: boolean;
  vanished: number;
  prerenderedTop: number | null;
}

const watched = (page: Page): Promise<Watch> =>
  page.evaluate(() => (window as unknown as { __consentWatch: Watch }).__consentWatch);

describe('the consent before the script', () => {
  it('is readable with JavaScript turned off', async () => {
    const context = await app.browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
    const page = await context.newPage();
    const response = await page.goto(joinUrl());
    expect(response?.headers()['cache-control']).toBe('no-store');
    const main = page.locator('main');
    await expect.poll(() => main.textContent()).toContain(CONSENT_START);
    expect(await page.getByText(CONSENT_START).isVisible()).toBe(true);
    expect(await page.getByRole('heading', { level: 1, name: /Information and consent/ }).isVisible()).toBe(true);
    expect(await page.getByRole('status').textContent()).toBe('Loading the form…');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    // No expectAccessible here: axe never finishes in a context with JavaScript off (its analysis waits on page
    // script). The same markup is checked with JavaScript on, next, while the app's script is held back.
    await context.close();
  });

  it('passes the accessibility check while the app’s script is still on its way', async () => {
    const context = await app.browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/assets\/.*\.js$/, async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(joinUrl(), { waitUntil: 'commit' });
    await page.getByText(CONSENT_START).waitFor();
    expect(await page.locator('[data-prerendered="consent"]').count()).toBe(1);
    await expectAccessible(page, 'join: pre-rendered consent before the script');
    release();
    await page.getByLabel(/I have read the information above/).waitFor();
    await context.close();
  });

  it('stays on the screen while the app starts, in the same place, and the journey goes on', async () => {
    const context = await app.browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript({ content: WATCH });
    await page.goto(joinUrl());
    const agree = page.getByLabel(/I have read the information above/);
    await agree.waitFor();
    // React's consent step, not the server's block.
    expect(await page.locator('[data-prerendered]').count()).toBe(0);
    const seen = await watched(page);
    expect(seen.prerendered).toBe(true);
    expect(seen.vanished).toBe(0);
    // React's first paragraph takes the place of the server's (the step indicator's row is reserved, not drawn).
    const reactTop = await page
      .getByText(CONSENT_START)
      .evaluate((el) => el.getBoundingClientRect().top + window.scrollY);
    expect(seen.prerenderedTop).not.toBeNull();
    expect(Math.abs(reactTop - (seen.prerenderedTop ?? 0))).toBeLessThanOrEqual(8);
    await expectAccessible(page, 'join: consent after React took over the pre-rendered one');

    await agree.check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.locator('#instructions-title').waitFor();
    await expectAccessible(page, 'join: instructions after the pre-rendered consent');
    expect(errors).toEqual([]);
    await context.close();
  });
});
