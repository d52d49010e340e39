import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack } from '../../shared/protocol/acks.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/protocol/events.ts';
import type { RecordSummary, StudySummary } from '../../shared/schemas/study.ts';
import { APP_VERSION } from '../../server/version.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { tempDir, writeFile } from '../support/temp-files.ts';
import { signInResearcher } from '../support/auth-helpers.ts';

const dir = tempDir();
let t: TestApp;
let cookie: string;

beforeAll(async () => {
  t = await startTestApp(dir);
  cookie = (await signInResearcher(t)).cookie;
});

/** A GET as the signed-in researcher. */
function get(url: string) {
  return t.app.inject({ method: 'GET', url, headers: { cookie } });
}
afterAll(async () => {
  await t.close();
});

describe('HTTP API on a freshly prepared database', () => {
  it('GET /api/health answers ok with the app version', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true, version: APP_VERSION });
  });

  it('the sample benchmark was imported as a study', async () => {
    const res = await get('/api/studies');
    const { studies } = res.json() as { studies: StudySummary[] };
    expect(studies).toHaveLength(1);
    expect(studies[0]).toMatchObject({ name: 'Sample benchmark', recordCount: 64, personaCount: 30, fileCount: 1 });
  });

  it('pages through records and returns one record whole', async () => {
    const { studies } = (await get('/api/studies')).json() as { studies: StudySummary[] };
    const studyId = studies[0]?.id ?? '';
    const page = (await get(`/api/studies/${studyId}/records?offset=60&limit=10`)).json() as {
      total: number;
      items: RecordSummary[];
    };
    expect(page.total).toBe(64);
    expect(page.items).toHaveLength(4);
    const problemId = page.items[0]?.problemId ?? '';
    expect(problemId).toMatch(/^problem_15_/);
    const one = await get(`/api/studies/${studyId}/records/${encodeURIComponent(problemId)}`);
    expect(one.statusCode).toBe(200);
    expect((one.json() as { record: { problem_id: string } }).record.problem_id).toBe(problemId);
  });

  it('bad query parameters get a 400 naming the field; unknown ids a 404', async () => {
    const { studies } = (await get('/api/studies')).json() as { studies: StudySummary[] };
    const bad = await get(`/api/studies/${studies[0]?.id}/records?limit=100000`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'invalid_payload', issues: [{ path: '$.limit' }] });
    expect((await get('/api/studies/nope/records')).statusCode).toBe(404);
    expect((await get('/api/studies/nope/records/problem_0_x')).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/api/studies' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/nothing' })).json()).toMatchObject({ error: 'not_found' });
  });

  it('serves the persona library', async () => {
    const { personas } = (await get('/api/personas')).json() as { personas: { id: string }[] };
    expect(personas).toHaveLength(30);
    const one = await get(`/api/personas/${personas[0]?.id}`);
    expect((one.json() as { persona: { id: string } }).persona.id).toBe(personas[0]?.id);
  });

  it('without a built client, / explains how to build it', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build');
  });
});

describe('serving the built client', () => {
  it('serves index.html at / and for client-side routes', async () => {
    const clientDir = join(dir, 'client');
    mkdirSync(clientDir, { recursive: true });
    writeFile(clientDir, 'index.html', '<!doctype html><title>PrefDisco Live</title>');
    const other = await startTestApp(dir, { clientDir });
    try {
      for (const url of ['/', '/play/abc']) {
        const res = await other.app.inject({ method: 'GET', url });
        expect(res.statusCode, url).toBe(200);
        expect(res.body).toContain('<title>PrefDisco Live</title>');
      }
    } finally {
      await other.close();
    }
  });
});

describe('Socket.IO on a listening server', () => {
  let socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  beforeAll(async () => {
    const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
    socket = connect(address, { transports: ['websocket'], forceNew: true, extraHeaders: { cookie } });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
  });
  afterAll(() => {
    socket.close();
  });

  it('study:list acks with the studies', async () => {
    const ack: Ack<StudySummary[]> = await socket.timeout(5000).emitWithAck('study:list', {});
    expect(ack.ok).toBe(true);
    expect(ack.ok && ack.data.map((s) => s.name)).toEqual(['Sample benchmark']);
  });

  it('a bad payload gets invalid_payload, and the server keeps serving', async () => {
    const raw = socket as unknown as Socket;
    const ack = (await raw.timeout(5000).emitWithAck('study:list', { unexpected: 1 })) as Ack<unknown>;
    expect(ack).toMatchObject({ ok: false, error: 'invalid_payload' });
    raw.emit('study:list', 'no ack callback at all');
    raw.emit('study:list');
    const again = await socket.timeout(5000).emitWithAck('study:list', {});
    expect(again.ok).toBe(true);
  });
});
