import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

/**
 * A real HTTP server speaking Amazon Bedrock's Converse API on 127.0.0.1: `POST /model/ID/converse` answers one JSON
 * document, `POST /model/ID/converse-stream` answers AWS event-stream frames (binary, length-prefixed, CRC-checked),
 * as Bedrock does. Each reply is the planned text; requests are recorded with their Authorization header.
 */
export interface BedrockRequest {
  path: string;
  authorization: string | undefined;
  body: { messages?: unknown[]; system?: unknown[]; inferenceConfig?: Record<string, unknown> };
}

export interface FakeBedrockServer {
  baseUrl: string;
  requests: BedrockRequest[];
  /** The text every reply carries (streamed in three pieces). */
  replyWith(text: string): void;
  close(): Promise<void>;
}

const codec = new EventStreamCodec(toUtf8, fromUtf8);

function frame(eventType: string, payload: unknown): Uint8Array {
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: 'event' },
      ':event-type': { type: 'string', value: eventType },
      ':content-type': { type: 'string', value: 'application/json' },
    },
    body: fromUtf8(JSON.stringify(payload)),
  });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeBedrockServer(): Promise<FakeBedrockServer> {
  const requests: BedrockRequest[] = [];
  let text = 'ready';
  const usage = { inputTokens: 12, outputTokens: 3, totalTokens: 15 };
  const server = createServer((req, res) => {
    void (async () => {
      const path = req.url ?? '';
      const match = /^\/model\/[^/]+\/(converse|converse-stream)$/.exec(path);
      if (req.method !== 'POST' || !match) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"not found"}');
        return;
      }
      requests.push({
        path,
        authorization: req.headers.authorization,
        body: JSON.parse(await readBody(req)) as BedrockRequest['body'],
      });
      if (match[1] === 'converse') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            output: { message: { role: 'assistant', content: [{ text }] } },
            stopReason: 'end_turn',
            usage,
          }),
        );
        return;
      }
      res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
      res.write(frame('messageStart', { role: 'assistant' }));
      const third = Math.ceil(text.length / 3);
      for (let at = 0; at < text.length; at += third)
        res.write(frame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: text.slice(at, at + third) } }));
      res.write(frame('contentBlockStop', { contentBlockIndex: 0 }));
      res.write(frame('messageStop', { stopReason: 'end_turn' }));
      res.end(frame('metadata', { usage, metrics: { latencyMs: 5 } }));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    replyWith: (t) => {
      text = t;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
