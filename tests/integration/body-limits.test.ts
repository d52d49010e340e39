import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { DEFAULT_BODY_LIMIT, MAX_JSON_DEPTH } from '../../server/plugins/body-limits.ts';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import type { Storage } from '../../server/storage/storage.ts';
import { signInResearcher } from '../support/auth-helpers.ts';
import { tempDir } from '../support/temp-files.ts';

/** Request body limits and the depth-capped JSON parser (docs/security.md, Limits), on a real server. */
let app: FastifyInstance;
let storage: Storage;
let url: string;
beforeAll(async () => {
  const dir = tempDir();
  storage = SqliteStorage.open({ file: join(dir, 'limits.sqlite') });
  app = await buildApp({ config: { clientDir: join(dir, 'no-client') }, storage });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await app?.close();
  await storage?.close();
});

const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);
const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('request bodies', () => {
  it('refuses JSON nested deeper than the cap with invalid_payload naming the depth, before parsing', async () => {
    const res = await post('/api/auth/login', `{"username":${nested(MAX_JSON_DEPTH + 1)}}`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; message: string };
    expect(body.error).toBe('invalid_payload');
    expect(body.message).toContain(String(MAX_JSON_DEPTH));
  });

  it('still parses ordinary JSON, and still refuses prototype poisoning', async () => {
    const ok = await post('/api/auth/login', JSON.stringify({ username: 'nobody', password: 'x'.repeat(12) }));
    expect(ok.status).toBe(401);
    const poisoned = await post('/api/auth/login', '{"__proto__":{"x":1},"username":"a","password":"b"}');
    expect(poisoned.status).toBe(400);
    expect(((await poisoned.json()) as { error: string }).error).toBe('invalid_payload');
  });

  it('refuses a body over 64 KB on a default route, and a logout body over 1 KB', async () => {
    const big = JSON.stringify({ username: 'a', password: 'x'.repeat(DEFAULT_BODY_LIMIT) });
    const res = await post('/api/auth/login', big);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toBe('payload_too_large');
    const logout = await post('/api/auth/logout', JSON.stringify({ pad: 'x'.repeat(2048) }));
    expect(logout.status).toBe(413);
    expect((await post('/api/auth/logout', '{}')).status).toBe(200);
  });

  it('gives the researcher routes that need it a larger limit, and refuses a stranger before the body', async () => {
    const researcher = await signInResearcher({ app, storage });
    const study = await storage.createStudy({ name: 'Limits' });
    const episodeIds = Array.from({ length: 10_000 }, (_, i) => `episode-${i}-${'x'.repeat(20)}`);
    const body = JSON.stringify({ episodeIds });
    expect(body.length).toBeGreaterThan(DEFAULT_BODY_LIMIT);
    const path = `/api/studies/${study.id}/rating-candidates`;
    const accepted = await post(path, body, { cookie: researcher.cookie });
    expect(accepted.status).not.toBe(413);
    const stranger = await post(path, body);
    expect(stranger.status).toBe(401);
  });

  it('refuses several 10 MB deep bodies fast while /api/health keeps answering', async () => {
    const deep = nested(5 * 1024 * 1024);
    const health = async (): Promise<number> => (await fetch(`${url}/api/health`)).status;
    const attacks = Array.from({ length: 3 }, () => post('/api/auth/logout', deep).then((r) => r.status));
    const probes = Array.from({ length: 5 }, () => health());
    const [statuses, healthy] = await Promise.all([Promise.all(attacks), Promise.all(probes)]);
    for (const status of statuses) expect([400, 413]).toContain(status);
    expect(healthy).toEqual([200, 200, 200, 200, 200]);
    const depthOnly = await post('/api/auth/login', nested(10_000));
    expect(((await depthOnly.json()) as { error: string }).error).toBe('invalid_payload');
  });
});
