import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AiSdkProvider } from '../../server/models/http/ai-sdk-provider.ts';
import { createOpenAiCompatibleCall } from '../../server/models/http/openai-compatible-call.ts';
import { ModelCallError } from '../../server/models/model-provider.ts';
import { ModelConfigSchema } from '../../shared/schemas/models.ts';

/**
 * The direct OpenAI-compatible client's reading of the wire, against a raw HTTP server on 127.0.0.1 that writes its
 * bytes exactly as planned: events split mid-line and mid-character, CRLF line ends, comments, an error mid-stream.
 * (Retries, timeouts and status handling are covered through AiSdkProvider in ai-sdk-provider.test.ts.)
 */

type Script = (res: ServerResponse) => Promise<void>;
let script: Script = async (res) => void res.end();
let server: Server;
let baseUrl = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => void script(res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const event = (delta: Record<string, unknown>, finish: string | null = null): string =>
  `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] })}`;

/** Writes the bytes of `body` in the given pieces, with a pause between them so each is its own TCP segment. */
function writeInPieces(body: Buffer, cuts: number[]): Script {
  return async (res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    let from = 0;
    for (const cut of [...cuts, body.length]) {
      res.write(body.subarray(from, cut));
      from = cut;
      await sleep(15);
    }
    res.end();
  };
}

const settings = { messages: [{ role: 'user' as const, content: 'hi' }] };

/** The direct OpenAI-compatible client against the script server: one retry, no back-off wait. */
function retryingProvider(): AiSdkProvider {
  const config = ModelConfigSchema.parse({
    name: 'direct',
    provider: 'openai-compatible',
    model: 'm',
    baseUrl,
    maxRetries: 1,
    retryBaseDelayMs: 1,
    timeoutMs: 2000,
  });
  return new AiSdkProvider({ config });
}

describe('the direct OpenAI-compatible client', () => {
  it('reads events split mid-line and mid-character, with CRLF line ends and comments, in order', async () => {
    const text = 'Grüße, 世界! Done.';
    const sse = [
      ': a comment the server sends to keep the connection open',
      event({ role: 'assistant', content: 'Grüße, ' }),
      '',
      event({ content: '世界! ' }),
      '',
      event({ content: 'Done.' }),
      '',
      event({}, 'length'),
      '',
      `data: ${JSON.stringify({ id: 'x', choices: [], usage: { prompt_tokens: 11, completion_tokens: 4 } })}`,
      '',
      'data: [DONE]',
      '',
      '',
    ].join('\r\n');
    const body = Buffer.from(sse, 'utf8');
    // Cut inside "ü" (2 bytes), inside "世" (3 bytes), and between "\r" and "\n".
    const cuts = [
      body.indexOf('ü') + 1,
      body.indexOf(Buffer.from('世')) + 1,
      body.indexOf('\r\n', body.indexOf('Done.')) + 1,
    ];
    script = writeInPieces(body, cuts);
    const deltas: string[] = [];
    const call = createOpenAiCompatibleCall(baseUrl, 'm', undefined, 16);
    const out = await call(settings, false, new AbortController().signal, (d) => deltas.push(d));
    expect(deltas).toEqual(['Grüße, ', '世界! ', 'Done.']);
    expect(out).toEqual({ text, finishReason: 'length', inputTokens: 11, outputTokens: 4 });
  });

  it('reads CR-only line ends, events split inside the "data:" prefix and between the two line feeds that end them', async () => {
    const sse = `${event({ content: 'One, ' })}\r\r${event({ content: 'two.' })}\n\n${event({}, 'stop')}\n\ndata: [DONE]\n\n`;
    const body = Buffer.from(sse, 'utf8');
    const second = body.indexOf('data:', 1);
    // Inside the first event's "data:", inside the second's, and between the "\n" and "\n" that end the second.
    const cuts = [2, second + 3, body.indexOf('\n\n', second) + 1];
    script = writeInPieces(body, cuts);
    const deltas: string[] = [];
    const call = createOpenAiCompatibleCall(baseUrl, 'm', undefined, 16);
    const out = await call(settings, false, new AbortController().signal, (d) => deltas.push(d));
    expect(deltas).toEqual(['One, ', 'two.']);
    expect(out).toMatchObject({ text: 'One, two.', finishReason: 'stop' });
  });

  it('nothing after [DONE] is read; a last event without its blank line still counts', async () => {
    const call = createOpenAiCompatibleCall(baseUrl, 'm', undefined, 16);
    script = async (res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`${event({ content: 'Kept.' })}\n\ndata: [DONE]\n\n${event({ content: ' Ignored.' })}\n\n`);
    };
    expect(await call(settings, false, new AbortController().signal, () => undefined)).toMatchObject({
      text: 'Kept.',
    });
    script = async (res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`${event({ content: 'Last' })}\n\n${event({ content: ' line.' }, 'stop')}\n`);
    };
    expect(await call(settings, false, new AbortController().signal, () => undefined)).toEqual({
      text: 'Last line.',
      finishReason: 'stop',
      inputTokens: 0,
      outputTokens: 0,
    });
  });

  it('a line left unterminated at the end of the stream is discarded, as SSE says, not read as a broken chunk', async () => {
    const call = createOpenAiCompatibleCall(baseUrl, 'm', undefined, 16);
    script = async (res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`${event({ content: 'Complete.' }, 'stop')}\n\n${event({ content: 'cut' }).slice(0, 30)}`);
    };
    expect(await call(settings, false, new AbortController().signal, () => undefined)).toMatchObject({
      text: 'Complete.',
      finishReason: 'stop',
    });
  });

  it('a connection dropped in the middle of a data line is a connection failure, not a malformed chunk', async () => {
    let attempt = 0;
    script = async (res) => {
      attempt += 1;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (attempt === 1) {
        res.write(`${event({ content: 'Part' })}\n\n${event({ content: 'ial' }).slice(0, 30)}`);
        await sleep(20);
        res.socket?.destroy();
      } else {
        res.end(`${event({ content: 'Whole.' }, 'stop')}\n\ndata: [DONE]\n\n`);
      }
    };
    const provider = retryingProvider();
    const response = await provider.complete({
      messages: settings.messages,
      purpose: 'assistant',
      onChunk: () => undefined,
    });
    expect(response).toMatchObject({ text: 'Whole.', attempts: 2 });
    expect(provider.health().failedAttempts).toEqual({ connection: 1 });
  });

  it('an error object in the stream fails the attempt and is retried; a stream ending cleanly without [DONE] is complete', async () => {
    let attempt = 0;
    script = async (res) => {
      attempt += 1;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (attempt === 1) {
        res.write(`${event({ content: 'Part' })}\n\n`);
        res.end(`data: ${JSON.stringify({ error: { message: 'overloaded, try again' } })}\n\n`);
      } else {
        res.end(`${event({ content: 'Whole.' })}\n\n${event({}, 'stop')}\n\n`);
      }
    };
    const provider = retryingProvider();
    let shown = '';
    const response = await provider.complete({
      messages: settings.messages,
      purpose: 'assistant',
      onChunk: (d) => (shown += d),
      onRestart: () => (shown = ''),
    });
    expect(response).toMatchObject({ text: 'Whole.', finishReason: 'stop', attempts: 2 });
    expect(shown).toBe('Whole.');
    expect(provider.health()).toMatchObject({
      calls: 1,
      retries: 1,
      failedCalls: 0,
      failedAttempts: { server_error: 1 },
    });
    expect(provider.health().lastFailure).toMatchObject({ code: 'server_error', final: false });
    expect(provider.health().lastFailure?.message).toContain('overloaded, try again');
  });

  it('a reply without choices is a malformed response; a call that fails for good is counted as failed', async () => {
    script = async (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id": "x", "object": "chat.completion"}');
    };
    const provider = retryingProvider();
    const error = await provider
      .complete({ messages: settings.messages, purpose: 'rubric_judge' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelCallError);
    expect(error).toMatchObject({ code: 'server_error', attempts: 2 });
    expect(provider.health()).toMatchObject({
      calls: 1,
      retries: 1,
      failedCalls: 1,
      failedAttempts: { server_error: 2 },
    });
    expect(provider.health().lastFailure).toMatchObject({ code: 'server_error', final: true });
  });

  it('a refusal whose body is not JSON is explained by its status line', async () => {
    script = async (res) => {
      res.writeHead(503, 'Service Unavailable', { 'content-type': 'text/html' });
      res.end('<html>upstream down</html>');
    };
    const error = await retryingProvider()
      .complete({ messages: settings.messages, purpose: 'rubric_judge' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'server_error', attempts: 2 });
    expect((error as Error).message).toContain('Service Unavailable');
  });

  it('a malformed chunk ends the read at once and frees the connection: a one-connection model answers the next call', async () => {
    // The first reply sends a broken chunk and then stays open. A reader that stopped without letting go of the body
    // would keep the pool's only connection busy, and the second call would wait for it until its timeout.
    let attempt = 0;
    script = async (res) => {
      attempt += 1;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (attempt === 1) {
        res.write(`${event({ content: 'Hel' })}\n\ndata: {"choices": [\n\n`);
        return;
      }
      res.end(`${event({ content: 'Hello.' })}\n\n${event({}, 'stop')}\n\ndata: [DONE]\n\n`);
    };
    const call = createOpenAiCompatibleCall(baseUrl, 'm', undefined, 1);
    const shown: string[] = [];
    const first = await call(settings, false, AbortSignal.timeout(2000), (d) => shown.push(d)).catch((e: unknown) => e);
    expect((first as Error).name).toBe('AI_JSONParseError');
    expect(shown).toEqual(['Hel']);
    const second = await call(settings, false, AbortSignal.timeout(2000), (d) => shown.push(d));
    expect(second).toMatchObject({ text: 'Hello.', finishReason: 'stop' });
    expect(attempt).toBe(2);
  });

  it('keeps as many idle connections as calls may run at once, so a second burst reuses every one', async () => {
    // 300 calls held open together, then 300 more: a pool that kept fewer idle connections than calls may run (node's
    // default agent keeps 256) would open new ones for the second burst (44 with node's agent).
    const burst = 300;
    let waiting: (() => void)[] = [];
    script = async (res) => {
      await new Promise<void>((resolve) => {
        waiting.push(resolve);
        if (waiting.length === burst) for (const release of waiting.splice(0)) release();
      });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'x',
          object: 'chat.completion',
          choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
        }),
      );
    };
    let connections = 0;
    const count = (): void => void (connections += 1);
    server.on('connection', count);
    try {
      const call = createOpenAiCompatibleCall(baseUrl, 'm', undefined, burst);
      for (let wave = 0; wave < 2; wave++) {
        const outs = await Promise.all(
          Array.from({ length: burst }, () => call(settings, false, new AbortController().signal)),
        );
        expect(outs.every((o) => o.text === 'ok')).toBe(true);
        // The sockets go back to the pool once the responses' ends are read, a turn after the calls resolve.
        await sleep(50);
      }
      expect(connections).toBe(burst);
    } finally {
      server.off('connection', count);
      waiting = [];
    }
  });
});
