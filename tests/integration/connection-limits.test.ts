import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { openFilesLimit, warnIfFewDescriptors } from '../../server/plugins/connection-limits.ts';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import type { Storage } from '../../server/storage/storage.ts';
import { tempDir, writeFile } from '../support/temp-files.ts';

/** The per-address connection cap and the request timeout (docs/security.md, Limits), on a real server. */
const CAP = 3;
let app: FastifyInstance;
let storage: Storage;
let port: number;
const sockets: Socket[] = [];
beforeAll(async () => {
  const dir = tempDir();
  storage = SqliteStorage.open({ file: join(dir, 'connections.sqlite') });
  app = await buildApp({
    config: { clientDir: join(dir, 'no-client'), maxConnectionsPerIp: CAP, requestTimeoutMs: 1500 },
    storage,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  port = typeof address === 'object' && address !== null ? address.port : 0;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await app?.close();
  await storage?.close();
});

/** Opens a raw socket; resolves with when (and whether) the server closed it within `waitMs`. */
function openSocket(waitMs: number, send?: string): Promise<{ closedAfterMs: number | null; received: string }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    sockets.push(socket);
    const started = Date.now();
    let received = '';
    const timer = setTimeout(() => resolve({ closedAfterMs: null, received }), waitMs);
    socket.on('connect', () => {
      if (send !== undefined) socket.write(send);
    });
    socket.on('data', (chunk) => (received += chunk.toString('utf8')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ closedAfterMs: Date.now() - started, received });
    });
  });
}

describe('connection limits', () => {
  it('closes the socket one address opens past the cap at once, and accepts again when one closes', async () => {
    const held = await Promise.all(Array.from({ length: CAP }, () => openSocket(300)));
    expect(held.map((s) => s.closedAfterMs)).toEqual([null, null, null]);
    const excess = await openSocket(1000);
    expect(excess.closedAfterMs).not.toBeNull();
    expect(excess.closedAfterMs ?? Infinity).toBeLessThan(500);
    expect(excess.received).toBe('');
    for (const socket of sockets.splice(0)) socket.destroy();
    await new Promise((r) => setTimeout(r, 100));
    const res = await fetch(`http://127.0.0.1:${port}/api/health`);
    expect(res.status).toBe(200);
  });

  it('cuts a request whose body drips in slower than the request timeout', async () => {
    const head =
      'POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{';
    const slow = await openSocket(6000, head);
    expect(slow.closedAfterMs).not.toBeNull();
    expect(slow.closedAfterMs ?? Infinity).toBeGreaterThanOrEqual(1400);
    expect(slow.closedAfterMs ?? Infinity).toBeLessThan(4000);
    expect(slow.received).toMatch(/^HTTP\/1\.1 408/);
  }, 10_000);
});

describe('connection settings', () => {
  it('reads the cap and the timeout from the environment, with generous defaults', () => {
    expect(loadConfig({}).maxConnectionsPerIp).toBe(256);
    expect(loadConfig({}).requestTimeoutMs).toBe(300_000);
    const set = loadConfig({ PREFDISCO_MAX_CONNECTIONS_PER_IP: '20', PREFDISCO_REQUEST_TIMEOUT_SECONDS: '30' });
    expect([set.maxConnectionsPerIp, set.requestTimeoutMs]).toEqual([20, 30_000]);
    expect(() => loadConfig({ PREFDISCO_MAX_CONNECTIONS_PER_IP: '0' })).toThrow(/PREFDISCO_MAX_CONNECTIONS_PER_IP/);
  });

  it('reads the open-files limit and warns when it is below what the cap implies', () => {
    const dir = tempDir();
    const limits = writeFile(
      dir,
      'limits',
      'Limit                     Soft Limit           Hard Limit           Units\n' +
        'Max open files            1024                 524288               files\n',
    );
    expect(openFilesLimit(limits)).toBe(1024);
    expect(openFilesLimit(join(dir, 'missing'))).toBeNull();
    const warnings: string[] = [];
    const log = { warn: (_fields: object, message: string) => void warnings.push(message) };
    warnIfFewDescriptors(log, 256, 1024);
    warnIfFewDescriptors(log, 256, 65_536);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('1024');
  });
});
