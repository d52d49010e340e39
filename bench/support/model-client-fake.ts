import { startFakeOpenAiServer } from '../../tests/support/fake-openai-server.ts';

/**
 * The fake model for bench/model-client-cost.ts, in its own process so its CPU is not counted with the clients'.
 * Streamed requests get 60 words in 20 chunks, the rest a judge's JSON; it forgets requests as it goes.
 */
const server = await startFakeOpenAiServer();
server.respondWith((body) => ({
  kind: 'text',
  text: body.stream ? 'word '.repeat(60) : '{"score": 4, "justification": "Mostly fits."}',
  chunks: 20,
}));
setInterval(() => server.reset(), 2_000).unref();
process.send?.(server.baseUrl);
