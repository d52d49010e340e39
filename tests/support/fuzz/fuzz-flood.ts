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
  /** Ends the flood before `durationMs` (posts in flight still finish). */
  signal?: AbortSignal;
  /** Told of each deep post's answer as it arrives, for a caller that floods until enough have been answered. */
  onDeepAnswer?: (answer: string) => void;
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

// Encoded once: a string body would be re-encoded by the client for every post, on the event loop it shares with the
// server in the bench and tests, and counted against the server's health answers.
const nested = (bytes: number): Uint8Array<ArrayBuffer> =>
  new TextEncoder().encode('['.repeat(bytes / 2) + ']'.repeat(bytes / 2));
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

export type AttackResult = Omit<FloodResult, 'healthMs' | 'healthFailures'>;

/** The attack alone: deep-JSON streams and slow bodies until `durationMs` has passed. */
export async function attack(baseUrl: string, options: FloodOptions): Promise<AttackResult> {
  const url = new URL(baseUrl);
  const until = Date.now() + options.durationMs;
  const result: AttackResult = { deepAnswers: {}, deepMaxMs: 0, slowClosed: 0 };
  const slow = Array.from({ length: options.slowBodies }, () => slowBody(url));
  const count = (key: string): void => {
    result.deepAnswers[key] = (result.deepAnswers[key] ?? 0) + 1;
    options.onDeepAnswer?.(key);
  };

  const deepStream = async (stream: number): Promise<void> => {
    for (let i = 0; Date.now() < until && !options.signal?.aborted; i++) {
      const body = (i + stream) % 2 === 0 ? LARGE : UNDER_LIMIT;
      const started = performance.now();
      try {
        const res = await fetch(`${baseUrl}/api/auth/logout`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        const answer = (await res.json().catch(() => ({}))) as { error?: string };
        count(`${res.status} ${answer.error ?? ''}`.trim());
      } catch {
        // The server may answer 413 and close before the whole body is sent: the fetch then fails, which is a refusal.
        count('closed early');
      }
      result.deepMaxMs = Math.max(result.deepMaxMs, performance.now() - started);
    }
  };

  await Promise.all(Array.from({ length: options.deepStreams }, (_, s) => deepStream(s)));
  result.slowClosed = slow.filter((s) => s.closed()).length;
  for (const s of slow) s.stop();
  return result;
}

/** GET /api/health one after another for `durationMs`: each answer's time, and how many were not 200. */
export async function probeHealth(
  baseUrl: string,
  durationMs: number,
  everyMs = 20,
): Promise<{ healthMs: number[]; healthFailures: number }> {
  const until = Date.now() + durationMs;
  const healthMs: number[] = [];
  let healthFailures = 0;
  while (Date.now() < until) {
    const started = performance.now();
    try {
      const res = await fetch(`${baseUrl}/api/health`);
      await res.arrayBuffer();
      if (res.status !== 200) healthFailures += 1;
    } catch {
      healthFailures += 1;
    }
    healthMs.push(performance.now() - started);
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return { healthMs, healthFailures };
}

export interface CountedFloodOptions extends Pick<FloodOptions, 'deepStreams' | 'slowBodies' | 'probeEveryMs'> {
  /** Health probes, one after another, that must be answered while the flood runs. */
  probes: number;
  /** Deep posts the flood must have had answered before it stops, so the probes meet the bodies being read. */
  deepAnswers: number;
  /** A hang guard only: the flood ends by then even if the counts were not reached (which the caller then sees). */
  maxMs: number;
}

export interface CountedFloodResult extends FloodResult {
  /** Health probes answered (200 or not) while the flood was still running. */
  probedDuringFlood: number;
}

/**
 * Attack and probe from this process (the always-run test; the bench attacks from a child process instead), by count
 * rather than for a fixed time: health is probed until `probes` answers and `deepAnswers` deep posts have come back,
 * and only then does the flood stop. A busy machine makes this slower, not a failure; a server that stops answering
 * health during the flood still fails it (too few probes answered while flooding, or failed ones).
 */
export async function floodWhileProbing(baseUrl: string, options: CountedFloodOptions): Promise<CountedFloodResult> {
  const stop = new AbortController();
  let deep = 0;
  let flooding = true;
  const attacking = attack(baseUrl, {
    deepStreams: options.deepStreams,
    slowBodies: options.slowBodies,
    durationMs: options.maxMs,
    signal: stop.signal,
    onDeepAnswer: () => void deep++,
  }).finally(() => (flooding = false));
  const healthMs: number[] = [];
  let healthFailures = 0;
  let probedDuringFlood = 0;
  while (flooding && (probedDuringFlood < options.probes || deep < options.deepAnswers)) {
    const started = performance.now();
    try {
      const res = await fetch(`${baseUrl}/api/health`);
      await res.arrayBuffer();
      if (res.status !== 200) healthFailures += 1;
    } catch {
      healthFailures += 1;
    }
    healthMs.push(performance.now() - started);
    if (flooding) probedDuringFlood += 1;
    await new Promise((r) => setTimeout(r, options.probeEveryMs ?? 20));
  }
  stop.abort();
  return { ...(await attacking), healthMs, healthFailures, probedDuringFlood };
}
