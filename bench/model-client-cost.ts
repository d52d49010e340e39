import { request as httpRequest, Agent, type IncomingMessage } from 'node:http';
import { createParser } from 'eventsource-parser';
import { finished } from 'node:stream';
import { Pool, type Dispatcher } from 'undici';
import { forkTs } from './support/live-phase.ts';

/**
 * The CPU an HTTP client spends per chat-completions call, in one process, rounds alternating so machine load moves
 * all alike: node:http; undici's Pool with the body read by `for await`; and undici's Pool with the body read by
 * 'data' events, as server/models/http/openai-compatible-call.ts reads it. 64 calls at a time against the fake model
 * in another process, 3 KB prompts, every third call streamed (20 chunks `chunkDelayMs` apart, so that each arrives
 * in its own read as a model's tokens do; framed by eventsource-parser, each chunk's JSON parsed), the rest JSON
 * answers. Prints µs of this process's CPU per call for each round, the medians, and their ratios.
 * `npx tsx bench/model-client-cost.ts [rounds, default 5] [calls per round, default 4000] [chunkDelayMs, default 2]`
 */

const rounds = Number(process.argv[2] ?? 5);
const calls = Number(process.argv[3] ?? 4000);
const chunkDelayMs = Number(process.argv[4] ?? 2);
const CONCURRENT = 64;
const SYSTEM = 'x'.repeat(3000);

const fake = forkTs('model-client-fake.ts', { FAKE_CHUNK_DELAY_MS: String(chunkDelayMs) });
const baseUrl = await new Promise<string>((resolve) => fake.once('message', (m) => resolve(String(m))));
const url = new URL(`${baseUrl}/chat/completions`);
const agent = new Agent({ keepAlive: true, maxFreeSockets: CONCURRENT });
const pool = new Pool(url.origin, { connections: CONCURRENT });

function body(i: number): string {
  const messages = [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: `hello ${i}` },
  ];
  return JSON.stringify({ model: 'fake', messages, ...(i % 3 === 0 ? { stream: true } : {}) });
}

/**
 * A reply read from its text pieces as the app reads it: SSE events parsed one by one, or the whole JSON body.
 * `feed` takes each piece; `end` parses what a JSON body gathered and returns a size, so nothing is optimised away.
 */
function replyReader(stream: boolean): { feed(piece: string): void; end(): number } {
  let text = '';
  const parser = createParser({
    onEvent: (e) => {
      if (e.data !== '[DONE]') text += String((JSON.parse(e.data) as { id?: string }).id);
    },
  });
  return {
    feed: (piece) => (stream ? parser.feed(piece) : void (text += piece)),
    end: () => (stream ? text.length : JSON.stringify(JSON.parse(text)).length),
  };
}

async function readReply(pieces: AsyncIterable<string>, stream: boolean): Promise<number> {
  const reader = replyReader(stream);
  for await (const piece of pieces) reader.feed(piece);
  return reader.end();
}

async function* decoded(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  for await (const chunk of chunks) yield decoder.decode(chunk, { stream: true });
}

/** The body's pieces by 'data' events, read as `readReply` reads them. */
function readByEvents(res: Dispatcher.ResponseData, stream: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const decoder = new TextDecoder();
    const reader = replyReader(stream);
    res.body.on('data', (chunk: Buffer) => reader.feed(decoder.decode(chunk, { stream: true })));
    finished(res.body, (error) => (error ? reject(error) : resolve(reader.end())));
  });
}

async function viaNodeHttp(i: number): Promise<number> {
  const payload = body(i);
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) };
    const req = httpRequest(url, { method: 'POST', agent, signal: new AbortController().signal, headers }, resolve);
    req.on('error', reject);
    req.end(payload);
  });
  res.setEncoding('utf8');
  return readReply(res as AsyncIterable<string>, i % 3 === 0);
}

function undiciRequest(i: number): Promise<Dispatcher.ResponseData> {
  return pool.request({
    path: url.pathname,
    method: 'POST',
    body: body(i),
    signal: new AbortController().signal,
    headers: { 'content-type': 'application/json' },
  });
}

async function viaUndici(i: number): Promise<number> {
  const res = await undiciRequest(i);
  return readReply(decoded(res.body as AsyncIterable<Uint8Array>), i % 3 === 0);
}

async function viaUndiciEvents(i: number): Promise<number> {
  return readByEvents(await undiciRequest(i), i % 3 === 0);
}

async function cpuPerCall(call: (i: number) => Promise<number>, n: number): Promise<number> {
  let next = 0;
  const before = process.cpuUsage();
  await Promise.all(
    Array.from({ length: CONCURRENT }, async () => {
      while (next < n) await call(next++);
    }),
  );
  const used = process.cpuUsage(before);
  return (used.user + used.system) / n;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
try {
  // Warm-up: connections opened and code compiled before anything is counted.
  await cpuPerCall(viaNodeHttp, 1000);
  await cpuPerCall(viaUndici, 1000);
  await cpuPerCall(viaUndiciEvents, 1000);
  const http: number[] = [];
  const undici: number[] = [];
  const events: number[] = [];
  for (let r = 0; r < rounds; r++) {
    http.push(await cpuPerCall(viaNodeHttp, calls));
    undici.push(await cpuPerCall(viaUndici, calls));
    events.push(await cpuPerCall(viaUndiciEvents, calls));
  }
  const show = (xs: number[]): string => xs.map((x) => x.toFixed(0)).join(' ');
  process.stdout.write(`node:http              µs/call: ${show(http)}  median ${median(http).toFixed(0)}\n`);
  process.stdout.write(`undici, for await      µs/call: ${show(undici)}  median ${median(undici).toFixed(0)}\n`);
  process.stdout.write(`undici, 'data' events  µs/call: ${show(events)}  median ${median(events).toFixed(0)}\n`);
  process.stdout.write(`ratio undici for await / node:http: ${(median(undici) / median(http)).toFixed(2)}\n`);
  process.stdout.write(`ratio 'data' events / for await: ${(median(events) / median(undici)).toFixed(2)}\n`);
} finally {
  fake.kill();
  await pool.close();
  agent.destroy();
}
