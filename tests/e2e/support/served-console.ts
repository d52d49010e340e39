import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { launchBrowser } from '../../support/browser.ts';
import { serveProcess, type ServedApp } from '../../support/serve-process.ts';
import { e2eSettings } from '../../support/test-env.ts';
import { tempDir } from '../../support/temp-files.ts';

/** One app served as `npm start` would, one Chromium page on it, and the page errors seen (expected empty at the end). */
export interface ServedConsole {
  readonly dir: string;
  readonly shots: string;
  readonly served: ServedApp;
  readonly browser: Browser;
  readonly page: Page;
  readonly errors: string[];
}

/**
 * Registers the file's beforeAll/afterAll: a fresh database and runs folder, the served app (with `env` added to its
 * environment), a browser page of `viewport`; afterwards the browser closes and the server must stop with exit code 0.
 */
export function servedConsole(
  viewport: { width: number; height: number },
  env: (dir: string) => Record<string, string> = () => ({}),
): ServedConsole {
  const dir = tempDir();
  const errors: string[] = [];
  let served: ServedApp | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  beforeAll(async () => {
    served = await serveProcess({
      PREFDISCO_DB: join(dir, 'e2e.sqlite'),
      PREFDISCO_RUNS_DIR: join(dir, 'runs'),
      ...env(dir),
    });
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport })).newPage();
    page.on('pageerror', (e) => errors.push(e.message));
  });
  afterAll(async () => {
    await browser?.close();
    expect(await served?.stop()).toBe(0);
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the served console is ready only inside tests');
    return value;
  };
  return {
    dir,
    shots: e2eSettings(dir).screenshotDir,
    errors,
    get served() {
      return started(served);
    },
    get browser() {
      return started(browser);
    },
    get page() {
      return started(page);
    },
  };
}
