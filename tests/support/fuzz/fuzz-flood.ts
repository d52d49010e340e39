import { connect, type Socket } from 'node:net';

/**
 * The body attacks of docs/security.md (Limits) against a running server, while /api/health is probed: deep JSON
 * bodies posted to the unauthenticated logout route (10 MB ones, refused by size, and ones under the route's 1 KB limit,
 * refused by depth), and slow bodies that send their head and then one byte now and then. Used by the fuzz bench (at
 * size) and by tests/integration/body-flood.test.ts (a few of each).
 */
export interface FloodOptions {
  /** Concurrent streams, each posting deep bodies one after another until the flood ends. */
  deepStreams: number;
  /** Slow-body sockets held open during the flood. */
  slowBodies: number;
  durationMs: number;
  /** Pause between health probes. */
  probeEveryMs?: number;
}

export interface FloodResult {
  /** Answers to the deep posts: `<status> <error code>`, counted. */
  deepAnswers: Record<string, number>;
  /** Slowest answer to a deep post, in ms. */
  deepMaxMs: number;
  healthMs: number[];
  healthFailures: number;
  /** Slow-body sockets the server had closed by the end of the flood. */
  slowClosed: number;
}

const nested = (bytes: number): string => '['.repeat(bytes / 2) + ']'.repeat(bytes / 2);
const LARGE = nested(10 * 1024 * 1024);
// Logout's own limit is 1 KB: 500 levels fit under it, so these are refused by depth, after being read.
const UNDER_LIMIT = nested(1000);

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

function slowBody(url: URL): { socket: Socket; closed: () => boolean; stop: () => void } {
  let closed = false;
  const socket = connect(Number(url.port), url.hostname);
  socket.on('error', () => undefined);
  socket.on('close', () => (closed = true));
  socket.write(
    `POST /api/auth/logout HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\n` +
      'Content-Length: 100000\r\n\r\n[',
  );
  const drip = setInterval(() => socket.write('['), 1000);
  return { socket, closed: () => closed, stop: () => (clearInterval(drip), socket.destroy()) };
}

export async function floodWhileProbing(baseUrl: string, options: FloodOptions): Promise<FloodResult> {
  const url = new URL(baseUrl);
  const until = Date.now() + options.durationMs;
  const result: FloodResult = { deepAnswers: {}, deepMaxMs: 0, healthMs: [], healthFailures: 0, slowClosed: 0 };
  const slow = Array.from({ length: options.slowBodies }, () => slowBody(url));

  const deepStream = async (stream: number): Promise<void> => {
    for (let i = 0; Date.now() < until; i++) {
      const body = (i + stream) % 2 === 0 ? LARGE : UNDER_LIMIT;
      const started = performance.now();
      try {
        const res = await fetch(`${baseUrl}/api/auth/logout`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        const answer = (await res.json().catch(() => ({}))) as { error?: string };
        const key = `${res.status} ${answer.error ?? ''}`.trim();
        result.deepAnswers[key] = (result.deepAnswers[key] ?? 0) + 1;
      } catch {
        // The server may answer 413 and close before the whole body is sent: the fetch then fails, which is a refusal.
        result.deepAnswers['closed early'] = (result.deepAnswers['closed early'] ?? 0) + 1;
      }
      result.deepMaxMs = Math.max(result.deepMaxMs, performance.now() - started);
    }
  };

  const probe = async (): Promise<void> => {
    while (Date.now() < until) {
      const started = performance.now();
      try {
        const res = await fetch(`${baseUrl}/api/health`);
        await res.arrayBuffer();
        if (res.status !== 200) result.healthFailures += 1;
      } catch {
        result.healthFailures += 1;
      }
      result.healthMs.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, options.probeEveryMs ?? 20));
    }
  };

  await Promise.all([probe(), ...Array.from({ length: options.deepStreams }, (_, s) => deepStream(s))]);
  result.slowClosed = slow.filter((s) => s.closed()).length;
  for (const s of slow) s.stop();
  return result;
}
