import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, CONSENT_TEXT, setUpFirstPaintStudy, type FirstPaintStudy } from '../support/consent-study.ts';
import { tempDir } from '../support/temp-files.ts';
import { expectAccessible } from './support/accessibility.ts';
import { servedWithModel } from './support/served-with-model.ts';
import { recordTransfers } from './support/transferred-bytes.ts';

/**
 * What the invitation link's first load fetches (issue 15, first paint): only the join steps' code. The console, the
 * pages after the join, and the Markdown/KaTeX renderer with its styles and fonts come later, when they are needed.
 * Timings belong to `npm run bench:first-paint`; this checks the shape of the load, which does not vary from run to run.
 */

const dir = tempDir();
const app = servedWithModel({ dir, model: 'mut', database: 'first-load.sqlite', admin: ADMIN });
let study: FirstPaintStudy;

beforeAll(async () => {
  study = await setUpFirstPaintStudy(app.served.url, 'mut');
});

/** Chunks the join page must not fetch, by the names the build gives them (vite.config.ts). */
const NOT_ON_JOIN = [
  /researcher-console/,
  /[/]query-/,
  /[/]rich-text/,
  /katex/i,
  /[/]play-page-/,
  /[/]rate-page-/,
  /[/]done-page-/,
  /\.woff2?$|\.ttf$/,
];

describe('the invitation link’s first load', () => {
  it('the page itself shows the app bar and a loading status before any script runs', async () => {
    const res = await fetch(`${app.served.url}/play`);
    expect(res.status).toBe(200);
    const html = await res.text();
    // Inside #root, so React's first render replaces it.
    expect(html).toMatch(/<div id="root">\s*<!-- boot:start -->\s*<div class="boot-bar">PrefDisco Live<\/div>/);
    expect(html).toMatch(/<div class="boot-main" role="status">Loading…<\/div>/);
    // The security headers stay: no inline script may run.
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('the invitation link’s page carries the consent itself (server/http/join-shell.ts), still with no inline script', async () => {
    const res = await fetch(`${app.served.url}/join/${study.actorCode}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/<div id="root">\s*<header class="boot-bar">PrefDisco Live <span/);
    expect(html).toContain(CONSENT_TEXT.slice(0, 60));
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('fetches only the join steps’ code and shows the study’s consent', async () => {
    const context = await app.browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const transferred = await recordTransfers(page);
    await page.goto(`${app.served.url}/join/${study.actorCode}?PROLIFIC_PID=5f0c1a2b3c4d5e6f7a8b9c01`);
    await page.getByText(CONSENT_TEXT.slice(0, 60)).waitFor();
    await page.getByRole('heading', { name: /Information and consent/ }).waitFor();
    // The server's block shows the text and heading too: wait for React's form.
    await page.getByLabel(/I have read the information above/).waitFor();
    // The static shell and the server's consent block are gone once React has rendered.
    expect(await page.locator('.boot-main, [data-prerendered]').count()).toBe(0);
    await expectAccessible(page, 'join: consent after a cold first load');

    const paths = transferred().files.map((f) => new URL(f.url).pathname);
    const scripts = paths.filter((p) => p.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(2);
    for (const pattern of NOT_ON_JOIN) expect(paths.filter((p) => pattern.test(p))).toEqual([]);
    expect(paths.filter((p) => p.endsWith('.css'))).toEqual([]);
    // main.tsx starts the join before the first render and the join page takes it over: one join, not two.
    expect(paths.filter((p) => p.startsWith('/api/join/'))).toHaveLength(1);
    expect(errors).toEqual([]);

    // The lazy pages still load when they are needed: the done page's chunk on the way to /done.
    await page.goto(`${app.served.url}/done`);
    await page.locator('main h1, main h2, main .MuiAlert-root').first().waitFor();
    expect(transferred().files.some((f) => /[/]done-page-[^/]+\.js$/.test(new URL(f.url).pathname))).toBe(true);
    await expectAccessible(page, 'done page reached after the join');
    expect(errors).toEqual([]);
    await context.close();
  });
});
