import { startFakeOpenAiServer } from '../../tests/support/fake-openai-server.ts';

/**
 * The fake model for bench/model-client-cost.ts, in its own process so its CPU is not counted with the clients'.
 * Streamed requests get 60 words in 20 chunks `FAKE_CHUNK_DELAY_MS` apart (default 0), the rest a judge's JSON; it
 * forgets requests as it goes.
 */
const chunkDelayMs = Number(process.env.FAKE_CHUNK_DELAY_MS ?? 0);
const server = await startFakeOpenAiServer();
server.respondWith((body) => ({
  kind: 'text',
  text: body.stream ? 'word '.repeat(60) : '{"score": 4, "justification": "Mostly fits."}',
  chunks: 20,
  ...(body.stream && chunkDelayMs > 0 ? { chunkDelayMs } : {}),
}));
setInterval(() => server.reset(), 2_000).unref();
process.send?.(server.baseUrl);
