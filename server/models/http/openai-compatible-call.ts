import { APICallError, InvalidResponseDataError, JSONParseError } from 'ai';
import { createParser } from 'eventsource-parser';
import { finished } from 'node:stream';
import { Pool, type Dispatcher } from 'undici';
import type { ModelMessage } from '../model-provider.ts';
import type { CallOutput, CallSettings } from './call-model.ts';

/**
 * One chat-completions attempt against an OpenAI-compatible server over undici's HTTP/1.1 client, without the AI SDK.
 *
 * Why: under live load the AI SDK's streaming path (fetch → web streams → SSE parser → zod validation of every chunk →
 * its own part stream) was the largest single cost of the server process; a streamed turn of 20 chunks went through
 * four web-stream stages per chunk. This reads the response body as it arrives and hands it to eventsource-parser
 * for the SSE framing. undici's `Pool.request` rather than node:http: measured with 64 calls at a time against a
 * local server (a third streamed in 20 chunks, the rest JSON, 3 KB prompts), the client's CPU per call was 88 µs
 * against node:http's 137 µs (medians of five rounds of 4,000 calls, alternating in one process, the chunks arriving
 * together; `npx tsx bench/model-client-cost.ts 5 4000 0`). In bench:live at
 * 1,000 persons, where most calls wait on streams, the model-call thread used 13 s of CPU against 14 s in the same
 * 40 s of play. Retries, timeouts, the concurrency limit and usage accounting stay in AiSdkProvider, which wraps
 * this exactly as it wraps `callModel`; the errors thrown here are the AI SDK's own error classes (or undici's network
 * errors), so classify-error.ts treats both paths alike.
 */

export type OpenAiCompatibleCall = (
  settings: CallSettings,
  json: boolean,
  signal: AbortSignal,
  onChunk?: (delta: string) => void,
) => Promise<CallOutput>;

/** A provider's error body is read for its message, but never more than this. */
const MAX_ERROR_BODY_CHARS = 64 * 1024;

export function createOpenAiCompatibleCall(
  baseUrl: string,
  model: string,
  apiKey: string | undefined,
  maxConcurrency: number,
): OpenAiCompatibleCall {
  const url = new URL(`${baseUrl.replace(/\/+$/, '')}/chat/completions`);
  // Keep-alive, as fetch does: a new TCP connection per call would cost more than the call's own parsing. The pool
  // opens at most as many connections as calls may run at once and keeps them open between calls (node:http's agent
  // kept only 256 idle, so at 1,000 live persons every dip in calls in flight closed connections that the next rise
  // opened again). Its own header and body timeouts are off: the attempt's signal is the one time limit, as the
  // model's `timeoutMs` says (undici's 300 s defaults would cut a slow reasoning model short as a network failure).
  const pool = new Pool(url.origin, { connections: maxConcurrency, headersTimeout: 0, bodyTimeout: 0 });
  const path = `${url.pathname}${url.search}`;
  const auth: Record<string, string> = apiKey ? { authorization: `Bearer ${apiKey}` } : {};

  const post = (body: string, signal: AbortSignal): Promise<Dispatcher.ResponseData> =>
    pool.request({ path, method: 'POST', body, signal, headers: { 'content-type': 'application/json', ...auth } });

  return async (settings, json, signal, onChunk) => {
    const stream = onChunk !== undefined;
    const payload = {
      model,
      messages: settings.messages.map(chatMessage),
      temperature: settings.temperature,
      max_tokens: settings.maxOutputTokens,
      top_p: settings.topP,
      seed: settings.seed,
      reasoning_effort: settings.reasoningEffort,
      ...(json ? { response_format: { type: 'json_object' } } : {}),
      ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
    };
    const res = await post(JSON.stringify(payload), signal);
    const status = res.statusCode;
    if (status < 200 || status > 299) throw await statusError(res, url.href, payload);
    const output = stream ? await readStream(res.body, url.href, onChunk) : await readJson(res.body, url.href);
    // A reply cut short by the signal may simply end; the signal, not the partial text, says what happened.
    if (signal.aborted) throw signal.reason;
    return output;
  };
}

type ChatContent = string | ({ type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } })[];

/**
 * A user message with images is sent as OpenAI's content array, as the reference sends its opening message: the text,
 * then each image as a base64 data URL of the file's bytes.
 */
function chatMessage(m: ModelMessage): { role: ModelMessage['role']; content: ChatContent } {
  if (m.role !== 'user' || !m.images?.length) return { role: m.role, content: m.content };
  return {
    role: 'user',
    content: [
      { type: 'text', text: m.content },
      ...m.images.map((i) => ({
        type: 'image_url' as const,
        image_url: { url: `data:${i.mediaType};base64,${Buffer.from(i.data).toString('base64')}` },
      })),
    ],
  };
}

type Body = Dispatcher.ResponseData['body'];

/**
 * The body as text, decoded as it arrives (a character split between two pieces is joined), each piece handed to
 * `onText` as it comes. Read with 'data' events rather than `for await`: an async iterator costs a promise or two per
 * piece, and a streamed turn arrives in as many pieces as it has chunks. Measured with 64 calls at a time against a
 * local server (a third streamed, 20 chunks 2 ms apart, so each arrives in its own read), the client's CPU per call
 * was 0.85–0.91 of the iterator's in three runs (`npx tsx bench/model-client-cost.ts`). A throw in `onText` (a
 * malformed chunk) stops the read and releases the connection. A connection that closes before the body's end makes
 * undici fail the body with a socket error, which classify-error.ts reads as a network failure.
 */
function readPieces(body: Body, onText: (text: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const decoder = new TextDecoder();
    let failed = false;
    const fail = (error: unknown): void => {
      failed = true;
      body.destroy();
      reject(error);
    };
    body.on('data', (piece: Buffer) => {
      if (failed) return;
      try {
        onText(decoder.decode(piece, { stream: true }));
      } catch (error) {
        fail(error);
      }
    });
    finished(body, (error) => {
      if (failed) return;
      if (error) return reject(error);
      try {
        const rest = decoder.decode();
        if (rest !== '') onText(rest);
        resolve();
      } catch (cause) {
        reject(cause);
      }
    });
  });
}

async function readText(body: Body, limit = Number.POSITIVE_INFINITY): Promise<string> {
  let text = '';
  await readPieces(body, (piece) => {
    if (text.length < limit) text += piece;
  });
  return text;
}

function headerRecord(headers: Dispatcher.ResponseData['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

async function statusError(
  res: Dispatcher.ResponseData,
  url: string,
  payload: Record<string, unknown>,
): Promise<APICallError> {
  const status = res.statusCode;
  let body = '';
  try {
    body = await readText(res.body, MAX_ERROR_BODY_CHARS);
  } catch {
    // The status is what matters; a body cut off does not change it.
  }
  return new APICallError({
    message: errorMessage(body) ?? (res.statusText || `HTTP ${status}`),
    url,
    requestBodyValues: payload,
    statusCode: status,
    responseHeaders: headerRecord(res.headers),
    responseBody: body,
    isRetryable: status === 408 || status === 409 || status === 429 || status >= 500,
  });
}

/** OpenAI's error shape, `{"error": {"message": …}}`, which compatible servers copy. */
function errorMessage(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as unknown;
    const error = isObject(parsed) ? parsed.error : undefined;
    const message = isObject(error) ? error.message : typeof error === 'string' ? error : undefined;
    return typeof message === 'string' && message !== '' ? message : undefined;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new JSONParseError({ text: text.slice(0, 1000), cause });
  }
}

/** As the AI SDK's openai-compatible provider maps them. */
function finishReason(raw: unknown): string {
  switch (raw) {
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    case 'content_filter':
      return 'content-filter';
    case 'function_call':
    case 'tool_calls':
      return 'tool-calls';
    default:
      return 'other';
  }
}

function usageOf(value: unknown): Pick<CallOutput, 'inputTokens' | 'outputTokens'> | undefined {
  if (!isObject(value)) return undefined;
  const input = value.prompt_tokens;
  const output = value.completion_tokens;
  return { inputTokens: typeof input === 'number' ? input : 0, outputTokens: typeof output === 'number' ? output : 0 };
}

async function readJson(body: Body, url: string): Promise<CallOutput> {
  const data = parseJson(await readText(body));
  const choice = isObject(data) && Array.isArray(data.choices) ? (data.choices[0] as unknown) : undefined;
  const message = isObject(choice) ? choice.message : undefined;
  if (!isObject(choice) || !isObject(message))
    throw new InvalidResponseDataError({ data, message: `no choices[0].message in the response of ${url}` });
  const content = message.content;
  return {
    text: typeof content === 'string' ? content : '',
    finishReason: finishReason(choice.finish_reason),
    ...((isObject(data) ? usageOf(data.usage) : undefined) ?? { inputTokens: 0, outputTokens: 0 }),
  };
}

/**
 * Server-sent events, framed by eventsource-parser: each event's data is one chunk, `[DONE]` at the end. Only the text
 * deltas, the finish reason and the usage chunk (stream_options.include_usage) are used; other fields, comments and
 * unknown lines are ignored unread.
 */
async function readStream(body: Body, url: string, onChunk: (delta: string) => void): Promise<CallOutput> {
  let text = '';
  let reason = 'other';
  let usage: Pick<CallOutput, 'inputTokens' | 'outputTokens'> = { inputTokens: 0, outputTokens: 0 };
  let done = false;

  const dispatch = (payload: string): void => {
    if (done) return;
    if (payload === '[DONE]') {
      done = true;
      return;
    }
    const chunk = parseJson(payload);
    if (!isObject(chunk))
      throw new InvalidResponseDataError({ data: chunk, message: `a streamed chunk from ${url} is not an object` });
    if (chunk.error !== undefined) {
      // The provider gave up mid-stream (e.g. overloaded): transient as far as we can tell, so retried.
      throw new APICallError({
        message: errorMessage(payload) ?? 'error in the stream',
        url,
        requestBodyValues: {},
        isRetryable: true,
        responseBody: payload,
      });
    }
    usage = usageOf(chunk.usage) ?? usage;
    const choice = Array.isArray(chunk.choices) ? (chunk.choices[0] as unknown) : undefined;
    if (!isObject(choice)) return;
    if (choice.finish_reason !== null && choice.finish_reason !== undefined)
      reason = finishReason(choice.finish_reason);
    const delta = isObject(choice.delta) ? choice.delta.content : undefined;
    if (typeof delta === 'string' && delta !== '') {
      text += delta;
      onChunk(delta);
    }
  };

  // A throw in onEvent (malformed chunk, error chunk) leaves feed() and ends the read, as it should.
  const parser = createParser({ onEvent: (event) => dispatch(event.data) });
  let endsLine = true;
  await readPieces(body, (piece) => {
    if (done || piece === '') return;
    parser.feed(piece);
    endsLine = piece.endsWith('\n') || piece.endsWith('\r');
  });
  // Data lines still waiting for their blank line when the stream ends count (some servers end that way); a last line
  // without its line end is discarded, as the SSE rules say, rather than read as a broken chunk.
  if (!done && endsLine) parser.feed('\n\n');
  return { text, finishReason: reason, ...usage };
}
