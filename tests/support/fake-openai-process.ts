import { startFakeOpenAiServer } from './fake-openai-server.ts';

/**
 * The fake OpenAI-compatible server in a process of its own, so a test can measure its own event loop's cost of model
 * calls without the server's share in it (tests/integration/model-thread-loop-cost.test.ts). Every request gets the
 * same streamed reply of CHUNKS deltas. Prints its base URL as one line; ends when its stdin closes.
 */
const chunks = Number(process.argv[2] ?? '40');
const server = await startFakeOpenAiServer();
const text = Array.from({ length: chunks }, (_, i) => `word${i} `).join('');
server.respondWith(() => ({ kind: 'text', text, chunks }));
process.stdout.write(`${server.baseUrl}\n`);
process.stdin.resume();
process.stdin.on('close', () => void server.close().then(() => process.exit(0)));
