import type { Page } from 'playwright-core';

export interface Transfer {
  url: string;
  /** Bytes received for this request as Chromium counts them: headers and the body as sent (compressed or not). */
  bytes: number;
  /** The response's Content-Encoding (br, gzip), null when sent uncompressed. */
  encoding: string | null;
}

export interface Transferred {
  total: number;
  files: Transfer[];
}

/**
 * Records what a page receives over the wire, from Chromium's own network accounting (CDP `Network.loadingFinished`
 * `encodedDataLength`), so the number is what the server and its compression really sent, never an estimate. Start
 * it before the page's first navigation; the returned function reads the requests finished so far.
 */
export async function recordTransfers(page: Page): Promise<() => Transferred> {
  const cdp = await page.context().newCDPSession(page);
  const responses = new Map<string, { url: string; encoding: string | null }>();
  const finished: Transfer[] = [];
  cdp.on('Network.responseReceived', ({ requestId, response }) => {
    const encoding = Object.entries(response.headers).find(([name]) => name.toLowerCase() === 'content-encoding');
    responses.set(requestId, { url: response.url, encoding: encoding?.[1] ?? null });
  });
  cdp.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => {
    const response = responses.get(requestId);
    finished.push({ url: response?.url ?? requestId, bytes: encodedDataLength, encoding: response?.encoding ?? null });
  });
  await cdp.send('Network.enable');
  return () => ({ total: finished.reduce((sum, t) => sum + t.bytes, 0), files: [...finished] });
}
