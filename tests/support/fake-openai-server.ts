import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { z } from 'zod';

/**
 * A real HTTP server speaking OpenAI's chat-completions protocol on 127.0.0.1, for exercising HTTP model providers
 * end to end. Each request takes the next planned reply (or the default text) and is recorded.
 */

export type PlannedReply =
  | {
      kind: 'text';
      text: string;
      /** Streamed replies are split into this many content chunks (default 3). */
      chunks?: number;
      /** Pause between streamed chunks. */
      chunkDelayMs?: number;
      /** Pause before answering at all. */
      delayMs?: number;
      finishReason?: string;
      usage?: { prompt: number; completion: number };
    }
  | { kind: 'status'; status: number; retryAfter?: string; message?: string }
  /** Never answers; the connection stays open until the client gives up. */
  | { kind: 'hang' }
  | { kind: 'empty' }
  /** 200 with a body that is not JSON (or, streamed, a data line that is not JSON). */
  | { kind: 'malformed' }
  /** Sends the start of a reply, then destroys the socket. */
  | { kind: 'destroy' };

const MessageSchema = z.looseObject({ role: z.string(), content: z.union([z.string(), z.array(z.unknown())]) });
const BodySchema = z.looseObject({
  model: z.string(),
  messages: z.array(MessageSchema),
  stream: z.boolean().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).optional(),
  temperature: z.number().optional(),
  max_tokens: z.number().optional(),
  /** What OpenAI's reasoning models take instead of max_tokens. */
  max_completion_tokens: z.number().optional(),
  reasoning_effort: z.string().optional(),
  top_p: z.number().optional(),
  seed: z.number().optional(),
  response_format: z.unknown().optional(),
});
export type ChatRequestBody = z.infer<typeof BodySchema>;

export interface RecordedRequest {
  body: ChatRequestBody;
  authorization: string | undefined;
  /** Azure OpenAI sends its key in an `api-key` header instead of Authorization. */
  apiKey: string | undefined;
  /** The request path with its query, e.g. /v1/chat/completions or Azure's /openai/deployments/D/chat/completions?api-version=V. */
  path: string;
}

/** OpenAI's path, or Azure OpenAI's deployment-based path (the deployment is the model). */
const CHAT_PATH = /^\/(?:v1|openai\/deployments\/[^/?]+)\/chat\/completions(?:\?api-version=[\w.-]+)?$/;

export interface FakeOpenAiServer {
  /** e.g. http://127.0.0.1:40123 */
  url: string;
  /** url + '/v1', what an OpenAI-compatible client takes as its base URL. */
  baseUrl: string;
  /** Every well-formed request received, in arrival order. */
  requests: RecordedRequest[];
  /** Requests being answered right now, and the most there have been at once since the last reset. */
  readonly inFlight: number;
  readonly maxInFlight: number;
  /** Queues replies for the next requests, in order. */
  plan(...replies: PlannedReply[]): void;
  /** Answers requests when nothing is planned, from the request itself (e.g. by the role its prompt plays). */
  respondWith(responder: ((body: ChatRequestBody) => PlannedReply) | null): void;
  /** Forgets planned replies, recorded requests and the in-flight maximum. */
  reset(): void;
  close(): Promise<void>;
}

export const DEFAULT_REPLY_TEXT = 'Hello from the fake server.';

export async function startFakeOpenAiServer(): Promise<FakeOpenAiServer> {
  const queue: PlannedReply[] = [];
  const requests: RecordedRequest[] = [];
  const counters = { inFlight: 0, maxInFlight: 0 };
  let responder: ((body: ChatRequestBody) => PlannedReply) | null = null;

  const server = createServer((req, res) => {
    counters.inFlight++;
    counters.maxInFlight = Math.max(counters.maxInFlight, counters.inFlight);
    res.on('close', () => counters.inFlight--);
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = req.url ?? '';
    if (req.method !== 'POST' || !CHAT_PATH.test(path)) return sendError(res, 404, 'not found');
    const parsed = BodySchema.safeParse(parseJson(await readBody(req)));
    if (!parsed.success) return sendError(res, 400, `invalid request body: ${parsed.error.message}`);
    const apiKey = req.headers['api-key'];
    requests.push({
      body: parsed.data,
      authorization: req.headers.authorization,
      apiKey: typeof apiKey === 'string' ? apiKey : undefined,
      path,
    });
    const reply = queue.shift() ?? responder?.(parsed.data) ?? { kind: 'text', text: DEFAULT_REPLY_TEXT };
    await answer(parsed.data, reply, res);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    baseUrl: `${url}/v1`,
    requests,
    get inFlight() {
      return counters.inFlight;
    },
    get maxInFlight() {
      return counters.maxInFlight;
    },
    plan: (...replies) => void queue.push(...replies),
    respondWith: (r) => {
      responder = r;
    },
    reset: () => {
      queue.length = 0;
      requests.length = 0;
      counters.maxInFlight = counters.inFlight;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Hanging replies keep sockets open; close them or server.close() would wait for ever.
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** A URL on 127.0.0.1 where nothing listens (a port that was just free), for connection-refused tests. */
export async function closedPortUrl(): Promise<string> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}/v1`;
}

async function answer(body: ChatRequestBody, reply: PlannedReply, res: ServerResponse): Promise<void> {
  switch (reply.kind) {
    case 'status': {
      const headers: Record<string, string> = reply.retryAfter === undefined ? {} : { 'retry-after': reply.retryAfter };
      return sendError(res, reply.status, reply.message ?? `planned status ${reply.status}`, headers);
    }
    case 'hang':
      return;
    case 'malformed':
      if (body.stream) return sendSse(res, ['{"choices": [ this is not json']);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('<html>502 Bad Gateway</html>');
      return;
    case 'destroy':
      res.writeHead(200, { 'content-type': body.stream ? 'text/event-stream' : 'application/json' });
      res.write(
        body.stream
          ? `data: ${JSON.stringify(chunk(body, { role: 'assistant', content: 'Partial' }, null))}\n\n`
          : '{"id":"chatcmpl-fake","choices":[',
      );
      // Give the bytes a moment to leave before the socket dies, so the client sees a response cut short.
      await sleep(20);
      res.socket?.destroy();
      return;
    case 'empty':
      return sendText(body, res, { kind: 'text', text: '', usage: { prompt: countWords(body), completion: 0 } });
    case 'text':
      if (reply.delayMs) await sleep(reply.delayMs);
      return sendText(body, res, reply);
  }
}

async function sendText(
  body: ChatRequestBody,
  res: ServerResponse,
  reply: Extract<PlannedReply, { kind: 'text' }>,
): Promise<void> {
  const promptTokens = reply.usage?.prompt ?? countWords(body);
  const completionTokens = reply.usage?.completion ?? reply.text.split(/\s+/).filter(Boolean).length;
  const usage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
  const finishReason = reply.finishReason ?? 'stop';
  if (!body.stream) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id: 'chatcmpl-fake',
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content: reply.text }, finish_reason: finishReason }],
        usage,
      }),
    );
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const pieces = splitText(reply.text, reply.chunks ?? 3);
  for (const [i, piece] of pieces.entries()) {
    if (i > 0 && reply.chunkDelayMs) await sleep(reply.chunkDelayMs);
    if (res.destroyed) return;
    res.write(
      `data: ${JSON.stringify(chunk(body, { ...(i === 0 ? { role: 'assistant' } : {}), content: piece }, null))}\n\n`,
    );
  }
  res.write(`data: ${JSON.stringify(chunk(body, {}, finishReason))}\n\n`);
  if (body.stream_options?.include_usage)
    res.write(`data: ${JSON.stringify({ ...chunk(body, {}, null), choices: [], usage })}\n\n`);
  res.end('data: [DONE]\n\n');
}

function chunk(
  body: ChatRequestBody,
  delta: Record<string, string>,
  finishReason: string | null,
): Record<string, unknown> {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model: body.model,
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  };
}

function sendSse(res: ServerResponse, dataLines: string[]): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for (const line of dataLines) res.write(`data: ${line}\n\n`);
  res.end('data: [DONE]\n\n');
}

function sendError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ error: { message, type: 'fake_error', code: status } }));
}

/** Splits text into `n` pieces of near-equal length whose concatenation is the text (no empty pieces). */
export function splitText(text: string, n: number): string[] {
  if (text === '') return [];
  const count = Math.max(1, Math.min(n, text.length));
  const cut = (i: number): number => Math.round((i * text.length) / count);
  return Array.from({ length: count }, (_, i) => text.slice(cut(i), cut(i + 1)));
}

/** A stand-in token count: words in all message contents. */
function countWords(body: ChatRequestBody): number {
  return body.messages.reduce(
    (sum, m) => sum + (typeof m.content === 'string' ? m.content.split(/\s+/).filter(Boolean).length : 0),
    0,
  );
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
