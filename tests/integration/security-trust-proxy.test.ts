import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { loadConfig, type TrustProxy } from '../../server/config.ts';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import { tempDir } from '../support/temp-files.ts';

// The proxy is simulated by app.inject's remoteAddress (the address the TCP connection comes from) and the
// X-Forwarded-For a proxy would write: whatever the client sent, then the client's address appended by the proxy.
// tests/integration/https-proxy.test.ts checks the same through a real Caddy.

const dir = tempDir();
let n = 0;
const open: { app: FastifyInstance; storage: SqliteStorage }[] = [];
afterEach(async () => {
  for (const { app, storage } of open.splice(0)) {
    await app.close();
    await storage.close();
  }
});

/** The real app with PREFDISCO_TRUST_PROXY as given; `ips` collects the address each failed login is logged with. */
async function appTrusting(value: string): Promise<{ app: FastifyInstance; ips: string[] }> {
  const trustProxy: TrustProxy = loadConfig({ PREFDISCO_TRUST_PROXY: value }).trustProxy;
  const storage = SqliteStorage.open({ file: join(dir, `trust-${++n}.sqlite`) });
  const ips: string[] = [];
  const app = await buildApp({
    config: { clientDir: join(dir, 'no-client'), trustProxy },
    storage,
    logger: {
      level: 'info',
      stream: {
        write: (line: string) => {
          const entry = JSON.parse(line) as { msg?: string; ip?: string };
          if (entry.msg === 'login failed' && entry.ip) ips.push(entry.ip);
        },
      },
    },
  });
  open.push({ app, storage });
  return { app, ips };
}

const PROXY = '127.0.0.1';

function loginThroughProxy(app: FastifyInstance, forwardedFor: string, i: number) {
  return app.inject({
    method: 'POST',
    url: '/api/auth/login',
    remoteAddress: PROXY,
    headers: { 'x-forwarded-for': forwardedFor },
    // A new username each time: only the per-address limit is under test, not the lock on one account.
    payload: { username: `nobody-${i}`, password: `guess-${i}-password` },
  });
}

describe('PREFDISCO_TRUST_PROXY names the proxy', () => {
  for (const value of ['1', '127.0.0.1,::1', '127.0.0.0/8']) {
    it(`with ${value}, the client is the address the proxy appended, not one the client wrote`, async () => {
      const { app, ips } = await appTrusting(value);
      const res = await loginThroughProxy(app, '1.2.3.4, 203.0.113.9', 0);
      expect(res.statusCode).toBe(401);
      expect(ips).toEqual(['203.0.113.9']);
    });
  }

  it('rotating X-Forwarded-For no longer escapes the login limit: 15 attempts, the 11th on refused', async () => {
    const { app, ips } = await appTrusting('1');
    const statuses: number[] = [];
    for (let i = 0; i < 15; i++) {
      statuses.push((await loginThroughProxy(app, `10.9.${i}.${i + 1}, 203.0.113.9`, i)).statusCode);
    }
    expect(statuses).toEqual([...Array<number>(10).fill(401), ...Array<number>(5).fill(429)]);
    expect(new Set(ips)).toEqual(new Set(['203.0.113.9']));
    // Another client behind the same proxy has its own budget.
    expect((await loginThroughProxy(app, '203.0.113.9, 198.51.100.7', 99)).statusCode).toBe(401);
  });

  it('a client connecting past the proxy cannot choose its address: only the listed proxy is believed', async () => {
    const { app, ips } = await appTrusting('127.0.0.1');
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: '198.51.100.20',
      headers: { 'x-forwarded-for': '1.2.3.4' },
      payload: { username: 'nobody', password: 'guess-password' },
    });
    expect(res.statusCode).toBe(401);
    expect(ips).toEqual(['198.51.100.20']);
  });

  it('without a proxy setting, X-Forwarded-For is ignored', async () => {
    const { app, ips } = await appTrusting('');
    await loginThroughProxy(app, '1.2.3.4', 0);
    expect(ips).toEqual([PROXY]);
  });
});
