import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for Prolific's completion page, on its own origin: the done page sends participants to the study's
 * completion URLs, and a journey must see that they arrive there with their code. It answers every GET with a small
 * page naming the code it was given and remembers each visit's path and query.
 */
export interface ProlificStandIn {
  /** e.g. http://127.0.0.1:40123 */
  origin: string;
  /** The completion URL for a code, as a researcher copies it from Prolific. */
  completionUrl(code: string): string;
  /** The codes of the visits so far, in order (`cc` of each completion URL opened). */
  visits: string[];
  close(): Promise<void>;
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function startProlificStandIn(): Promise<ProlificStandIn> {
  const visits: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const code = url.searchParams.get('cc') ?? '';
    if (req.method === 'GET' && url.pathname === '/submissions/complete') visits.push(code);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><title>Prolific (stand-in)</title><h1>Prolific (stand-in)</h1><p>Submission received with code <b id="code">${escapeHtml(code)}</b>.</p>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    completionUrl: (code) => `${origin}/submissions/complete?cc=${encodeURIComponent(code)}`,
    visits,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
