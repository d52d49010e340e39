import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ModelConfigSchema } from '../../shared/schemas/models.ts';
import { AiSdkProvider } from '../../server/models/http/ai-sdk-provider.ts';
import type { ModelMessage } from '../../server/models/model-provider.ts';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fake-openai-server.ts';
import { TINY_PNG } from '../support/tiny-png.ts';

let server: FakeOpenAiServer;
beforeAll(async () => {
  server = await startFakeOpenAiServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => server.reset());

function provider(kind: 'openai-compatible' | 'openai', cache = false): AiSdkProvider {
  return new AiSdkProvider({
    config: ModelConfigSchema.parse({
      name: 'vision',
      provider: kind,
      model: 'vision-1',
      baseUrl: server.baseUrl,
      maxRetries: 0,
      cache,
    }),
    apiKey: 'sk-test',
  });
}

function withImage(data: Uint8Array): ModelMessage[] {
  return [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: 'What does the picture show?', images: [{ mediaType: 'image/png', data }] },
  ];
}

const DATA_URL = `data:image/png;base64,${Buffer.from(TINY_PNG).toString('base64')}`;

describe('images on a user message', () => {
  it.each(['openai-compatible', 'openai'] as const)(
    '%s: the user message goes out as the text, then the image as a data URL of its bytes',
    async (kind) => {
      await provider(kind).complete({ messages: withImage(TINY_PNG), purpose: 'assistant' });
      expect(server.requests).toHaveLength(1);
      const [system, user] = server.requests[0]?.body.messages ?? [];
      expect(system).toMatchObject({ role: 'system', content: 'You are terse.' });
      expect(user?.role).toBe('user');
      expect(user?.content).toEqual([
        { type: 'text', text: 'What does the picture show?' },
        { type: 'image_url', image_url: { url: DATA_URL } },
      ]);
    },
  );

  it('a message without images stays a plain string', async () => {
    await provider('openai-compatible').complete({
      messages: [{ role: 'user', content: 'Plain.', images: [] }],
      purpose: 'assistant',
    });
    expect(server.requests[0]?.body.messages[0]?.content).toBe('Plain.');
  });

  it('the response cache tells images apart by their bytes', async () => {
    const cached = provider('openai-compatible', true);
    const other = Uint8Array.from(TINY_PNG);
    other[other.length - 1] = (other[other.length - 1] ?? 0) ^ 0xff;
    const first = await cached.complete({ messages: withImage(TINY_PNG), purpose: 'assistant' });
    const same = await cached.complete({ messages: withImage(Uint8Array.from(TINY_PNG)), purpose: 'assistant' });
    const changed = await cached.complete({ messages: withImage(other), purpose: 'assistant' });
    expect([first.cached, same.cached, changed.cached]).toEqual([false, true, false]);
    expect(server.requests).toHaveLength(2);
  });
});
