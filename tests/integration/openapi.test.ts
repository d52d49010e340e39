import { Validator } from '@seriousme/openapi-schema-validator';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ERROR_CODES } from '../../shared/errors.ts';
import { ERROR_RESPONSES } from '../../shared/schemas/api-common.ts';
import { registerErrorHandler } from '../../server/http/error-handler.ts';
import { signInResearcher } from '../support/auth-helpers.ts';
import { routesOf } from '../support/blind-scan.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { tempDir } from '../support/temp-files.ts';

/** The API's contract as a document (docs/researcher-api.md): valid OpenAPI, listing every route the app serves. */
const dir = tempDir();
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp(dir);
});
afterAll(async () => {
  await t.close();
});

interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
}

async function fetchDocument(): Promise<OpenApiDoc> {
  const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
  expect(res.statusCode).toBe(200);
  return res.json<OpenApiDoc>();
}

describe('the OpenAPI document', () => {
  it('is served to anyone and is valid OpenAPI 3', async () => {
    const doc = await fetchDocument();
    expect(doc.openapi).toMatch(/^3\.0\./);
    const result = await new Validator().validate(doc as unknown as Record<string, unknown>);
    expect(result.errors ?? [], JSON.stringify(result.errors, null, 2)).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('lists every /api route the app serves with its method, and an error response for each', async () => {
    const doc = await fetchDocument();
    const served = routesOf(t.app.printRoutes({ commonPrefix: false }))
      .filter((r) => r.path.startsWith('/api/'))
      .flatMap((r) =>
        r.methods
          .filter((m) => m !== 'HEAD' && m !== 'OPTIONS')
          .map((m) => ({ method: m.toLowerCase(), path: r.path.replace(/:(\w+)/g, '{$1}') })),
      );
    expect(served.length).toBeGreaterThan(35);
    const missing = served.filter((r) => !doc.paths[r.path]?.[r.method]).map((r) => `${r.method} ${r.path}`);
    expect(missing).toEqual([]);
    for (const r of served) {
      const responses = Object.keys(doc.paths[r.path]?.[r.method]?.responses ?? {});
      expect(responses, `${r.method} ${r.path}`).toEqual(expect.arrayContaining(['4XX', '5XX']));
      expect(
        responses.some((code) => /^2\d\d$/.test(code)),
        `${r.method} ${r.path} declares its success`,
      ).toBe(true);
    }
    // The error body names the closed code list.
    const errorSchema = JSON.stringify(doc.paths['/api/studies']?.get?.responses?.['4XX']);
    for (const code of ERROR_CODES) expect(errorSchema).toContain(`"${code}"`);
  });

  it('decides who may call before reading the body: a stranger with a malformed body hears 401', async () => {
    const studyId = (await t.storage.listStudies())[0]?.id ?? '';
    const url = `/api/studies/${studyId}/runs`;
    const stranger = await t.app.inject({ method: 'POST', url, payload: { maxTurns: 'many' } });
    expect([stranger.statusCode, stranger.json<{ error: string }>().error]).toEqual([401, 'unauthenticated']);
    const { cookie } = await signInResearcher(t);
    const researcher = await t.app.inject({ method: 'POST', url, headers: { cookie }, payload: { maxTurns: 'many' } });
    expect(researcher.statusCode).toBe(400);
    expect(researcher.json()).toMatchObject({
      error: 'invalid_payload',
      issues: expect.arrayContaining([expect.objectContaining({ path: '$.maxTurns' })]),
    });
    const badJson = await t.app.inject({
      method: 'POST',
      url,
      headers: { cookie, 'content-type': 'application/json' },
      payload: '{"model":',
    });
    expect([badJson.statusCode, badJson.json<{ error: string }>().error]).toEqual([400, 'invalid_payload']);
  });
});

describe('responses are checked on the way out', () => {
  it('refuses to send a body that breaks its schema: 500 internal, logged with its stack and the request', async () => {
    const lines: string[] = [];
    const app = Fastify({ logger: { level: 'error', stream: { write: (line: string) => void lines.push(line) } } });
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    registerErrorHandler(app);
    const typed = app.withTypeProvider<ZodTypeProvider>();
    let shape: unknown = { count: 3 };
    typed.get(
      '/thing',
      { schema: { response: { 200: z.object({ count: z.number().int() }), ...ERROR_RESPONSES } } },
      // The handler's type allows only the declared shape; a bug can still produce another at run time.
      async () => shape as { count: number },
    );
    try {
      const good = await app.inject({ method: 'GET', url: '/thing' });
      expect([good.statusCode, good.json()]).toEqual([200, { count: 3 }]);
      shape = { count: 'three', secret: 'not for clients' };
      const bad = await app.inject({ method: 'GET', url: '/thing' });
      expect(bad.statusCode).toBe(500);
      expect(bad.json()).toEqual({ error: 'internal', message: 'internal error' });
      expect(bad.body).not.toContain('secret');
      const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'request failed');
      expect(logged?.request).toMatchObject({ method: 'GET', url: '/thing', route: '/thing' });
      expect(String((logged?.err as { stack?: string } | undefined)?.stack)).toMatch(/doesn't match the schema/);
    } finally {
      await app.close();
    }
  });
});
