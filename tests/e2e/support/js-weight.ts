import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';

/**
 * Records which JavaScript files a page loads, to weigh them as a participant's browser receives them (gzip). The
 * files are read from the build directory, so the number is the build's, not the local server's compression.
 */
export function recordScripts(page: Page): () => string[] {
  const urls = new Set<string>();
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (url.pathname.endsWith('.js')) urls.add(url.pathname);
  });
  return () => [...urls];
}

export function gzipBytes(
  clientDir: string,
  paths: string[],
): { total: number; files: { path: string; gzip: number }[] } {
  const files = paths.map((path) => ({
    path,
    gzip: gzipSync(readFileSync(join(clientDir, path)), { level: 9 }).length,
  }));
  return { total: files.reduce((sum, f) => sum + f.gzip, 0), files };
}
