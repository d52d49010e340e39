import type { Browser, Page } from 'playwright-core';
import { recordTransfers } from '../../tests/e2e/support/transferred-bytes.ts';

/** A phone's link and processor, applied through Chromium's own throttling (DevTools protocol). */
export interface Profile {
  name: string;
  latencyMs: number;
  /** Link speed in megabits per second, both ways. */
  mbps: number;
  /** How many times slower the CPU runs (Emulation.setCPUThrottlingRate). */
  cpuSlowdown: number;
}

/** What tells the bench a page shows its content: a text inside <main>, or an element matching a selector. */
export type ContentCheck = { text: string } | { selector: string };

export interface ColdLoad {
  /** Page URL to open. */
  url: string;
  /** A participant's session cookie (`pd_session=…`), for pages behind the invitation link. */
  cookie?: string;
  /** Each load comes from its own address (behind the trusted proxy), so the per-address join limit never bites. */
  forwardedFor: string;
  content: ContentCheck;
  /** When the page can be used, beyond being read (e.g. the consent checkbox is there): timed from the same start. */
  interactive?: ContentCheck;
  /** A step taken once the content shows (e.g. accepting consent), timed until its own content shows. */
  step?: { run: (page: Page) => Promise<void>; content: ContentCheck };
}

export interface LoadResult {
  /** Bytes received (headers and bodies as sent, compressed) by the time the content showed. */
  bytes: number;
  /** PerformancePaintTiming first-contentful-paint, ms after navigation start. */
  fcpMs: number;
  /** When the content check first held (checked every animation frame), ms after navigation start. */
  contentMs: number;
  /**
   * For a text check: when the browser painted the element holding the text (its largest-contentful-paint entry), ms
   * after navigation start; absent when no such entry came (the text was never the largest paint so far).
   */
  contentPaintMs?: number;
  /** When the `interactive` check first held, ms after navigation start. */
  interactiveMs?: number;
  /** Paths of the files received by then. */
  files: string[];
  /** The step: ms from its start until its content showed, and the bytes received meanwhile. */
  stepMs?: number;
  stepBytes?: number;
}

/** Resolves with performance.now() at the first animation frame where the check holds. */
async function whenShown(page: Page, check: ContentCheck): Promise<number> {
  // No helper functions inside: tsx names them through a `__name` call the page does not have (and the app's CSP
  // forbids evaluating source text).
  const handle = await page.waitForFunction(
    (c: ContentCheck) => {
      let el: Element | null = null;
      if ('selector' in c) el = document.querySelector(c.selector);
      else {
        const main = document.querySelector('main');
        if (main && (main.textContent ?? '').includes(c.text)) el = main;
      }
      if (!el) return false;
      const box = el.getBoundingClientRect();
      const shown = box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden';
      return shown ? performance.now() : false;
    },
    check,
    { polling: 'raf', timeout: 60_000 },
  );
  return (await handle.jsonValue()) as number;
}

/**
 * Records, from before the page's first byte is parsed, the paint time of the first largest-contentful-paint whose
 * element holds `text` (window.__textPaint). The frame check above runs on animation frames, which wait while the
 * slowed main thread evaluates the scripts: text painted with the HTML would be timed when the scripts let go. A
 * string, not a function: tsx's `__name` helper does not exist in the page.
 */
function textPaintWatch(text: string): string {
  return `(() => {
    const want = ${JSON.stringify(text)};
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          if (window.__textPaint === undefined && e.element && (e.element.textContent || '').includes(want))
            window.__textPaint = e.renderTime || e.startTime;
        }
      }).observe({ type: 'largest-contentful-paint', buffered: true });
    } catch {}
  })();`;
}

/**
 * One cold load: a fresh browser context (empty cache, no cookies but the given one), the profile applied before the
 * navigation starts, then the page's own clock read for first paint and for the content being on the screen.
 */
export async function coldLoad(browser: Browser, profile: Profile, load: ColdLoad): Promise<LoadResult> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    extraHTTPHeaders: { 'x-forwarded-for': load.forwardedFor },
  });
  try {
    if (load.cookie) {
      const [name, value] = load.cookie.split('=', 2);
      await context.addCookies([{ name: name ?? '', value: value ?? '', url: new URL(load.url).origin }]);
    }
    const page = await context.newPage();
    const transferred = await recordTransfers(page);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    // Throughput is in bytes per second.
    const bytesPerSecond = (profile.mbps * 1_000_000) / 8;
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: profile.latencyMs,
      downloadThroughput: bytesPerSecond,
      uploadThroughput: bytesPerSecond,
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpuSlowdown });
    if ('text' in load.content) await page.addInitScript({ content: textPaintWatch(load.content.text) });
    await page.goto(load.url, { waitUntil: 'commit' });
    // Both watched from the start: the page may be usable in the same frame its content shows.
    // A page that never becomes usable counts as NaN (the median shows it) rather than ending the bench.
    const interactive = load.interactive ? whenShown(page, load.interactive).catch(() => NaN) : null;
    const contentMs = await whenShown(page, load.content).catch(async (error: unknown) => {
      // Say what the page showed instead, so a page that changed its content is easy to tell from a slow one.
      const shown = await page.evaluate(() => document.body.innerText.slice(0, 300)).catch(() => '');
      throw new Error(`${load.url}: content never showed (${String(error)}); the page showed: ${shown}`);
    });
    const interactiveMs = interactive ? await interactive : undefined;
    const contentPaintMs = await page.evaluate(() => (window as unknown as { __textPaint?: number }).__textPaint);
    const files = transferred();
    // First contentful paint is recorded once the frame is presented: give it that frame.
    // First contentful paint is recorded once its frame is presented, which may follow the check above by a frame.
    const fcp = await page.waitForFunction(
      () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? false,
      undefined,
      { polling: 'raf', timeout: 10_000 },
    );
    const fcpMs = (await fcp.jsonValue()) as number;
    const result: LoadResult = {
      bytes: files.total,
      fcpMs,
      contentMs,
      ...(interactiveMs === undefined ? {} : { interactiveMs }),
      ...(contentPaintMs === undefined ? {} : { contentPaintMs }),
      files: files.files.map((f) => new URL(f.url).pathname),
    };
    if (load.step) {
      const startedAt = await page.evaluate(() => performance.now());
      await load.step.run(page);
      result.stepMs = (await whenShown(page, load.step.content)) - startedAt;
      result.stepBytes = transferred().total - files.total;
    }
    return result;
  } finally {
    await context.close();
  }
}
