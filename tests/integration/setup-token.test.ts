import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import type { TrustProxy } from '../../server/config.ts';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import { serveProcess, setupLinkOf } from '../support/serve-process.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { tempDir } from '../support/temp-files.ts';

const dir = tempDir();
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp(dir);
});
afterAll(async () => {
  await t.close();
});

const account = { username: 'first', password: 'correct horse battery staple' };

describe('first-run setup needs the one-time token the server printed, from a browser on its machine', () => {
  it('refuses without the token, with a wrong one, from a foreign Host or Origin, and through a proxy', async () => {
    const token = t.app.setupToken.value;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const post = (payload: object, headers: Record<string, string> = {}, remoteAddress?: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/setup',
        payload,
        headers,
        ...(remoteAddress ? { remoteAddress } : {}),
      });
    const refusals = [
      ['no token', await post(account)],
      [
        'wrong token',
        await post({ ...account, setupToken: `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}` }),
      ],
      ['empty token', await post({ ...account, setupToken: '' })],
      // DNS rebinding: a foreign name resolving to 127.0.0.1, so the page's own Host and Origin are foreign.
      ['foreign Host', await post({ ...account, setupToken: token }, { host: 'rebind.attacker.example:5170' })],
      [
        'rebinding page',
        await post(
          { ...account, setupToken: token },
          { host: 'rebind.attacker.example:5170', origin: 'http://rebind.attacker.example:5170' },
        ),
      ],
      // (A foreign Origin on a localhost Host is already refused as cross_origin by the origin policy.)
      ['foreign Origin', await post({ ...account, setupToken: token }, { origin: 'http://rebind.attacker.example' })],
      // A reverse proxy on the same host: loopback peer, the public name, forwarding headers.
      [
        'same-host proxy',
        await post({ ...account, setupToken: token }, { host: 'study.example.org', 'x-forwarded-for': '203.0.113.9' }),
      ],
      ['forwarded loopback', await post({ ...account, setupToken: token }, { 'x-forwarded-for': '127.0.0.1' })],
      ['remote', await post({ ...account, setupToken: token }, {}, '10.1.2.3')],
    ] as const;
    for (const [what, res] of refusals) {
      expect(res.statusCode, what).toBe(403);
      expect(res.json().error, what).toBe(what === 'foreign Origin' ? 'cross_origin' : 'forbidden');
      expect(res.cookies, what).toEqual([]);
    }
    expect(refusals[0][1].json().message).toMatch(/setup link the server printed on its console/);
    expect(await t.storage.people.countResearchers()).toBe(0);

    const ok = await post(
      { ...account, setupToken: token },
      { host: 'localhost:5170', origin: 'http://localhost:5170' },
    );
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ identity: { kind: 'researcher', username: 'first' } });
    expect(await t.storage.people.countResearchers()).toBe(1);

    // Spent: it makes no second account, whatever the name.
    const again = await post({ username: 'second', password: account.password, setupToken: token });
    expect(again.statusCode).toBe(409);
    expect(await t.storage.people.countResearchers()).toBe(1);
  });

  it('with trust proxy, a forged X-Forwarded-For: 127.0.0.1 does not make a remote client local', async () => {
    const trusts: TrustProxy[] = [1, ['127.0.0.1', '::1', '10.0.0.0/8']];
    for (const [i, trustProxy] of trusts.entries()) {
      const storage = SqliteStorage.open({ file: join(dir, `proxy-${i}.sqlite`) });
      const app = await buildApp({ config: { clientDir: join(dir, 'no-client'), trustProxy }, storage });
      try {
        const res = await app.inject({
          method: 'POST',
          url: '/api/auth/setup',
          payload: { ...account, setupToken: app.setupToken.value },
          headers: { 'x-forwarded-for': '127.0.0.1' },
          remoteAddress: '10.1.2.3',
        });
        expect(res.statusCode).toBe(403);
        expect(await storage.people.countResearchers()).toBe(0);
        expect(
          (
            await app.inject({
              method: 'GET',
              url: '/api/auth/setup',
              headers: { 'x-forwarded-for': '127.0.0.1' },
              remoteAddress: '10.1.2.3',
            })
          ).json(),
        ).toEqual({ setupNeeded: true, fromThisMachine: false });
      } finally {
        await app.close();
        await storage.close();
      }
    }
  });

  it('the real server prints a setup link with the token; opening it on this machine creates the account once', async () => {
    const served = await serveProcess({ PREFDISCO_DB: join(dir, 'served.sqlite'), PREFDISCO_SEED_SAMPLE: 'false' });
    try {
      const link = new URL(await setupLinkOf(served));
      const token = new URLSearchParams(link.hash.slice(1)).get('token') ?? '';
      expect(link.pathname).toBe('/setup');
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const port = new URL(served.url).port;
      const post = (body: object) =>
        fetch(`http://127.0.0.1:${port}/api/auth/setup`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', host: `localhost:${port}` },
          body: JSON.stringify(body),
        });
      expect((await post(account)).status).toBe(403);
      expect((await post({ ...account, setupToken: 'x'.repeat(43) })).status).toBe(403);
      const ok = await post({ ...account, setupToken: token });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('set-cookie')).toMatch(/^pd_session=.+HttpOnly/);
      expect((await post({ ...account, username: 'second', setupToken: token })).status).toBe(409);
    } finally {
      await served.stop();
    }
  });

  it("names the port browsers use when that is not the server's (npm run dev: Vite's), also in the ssh hint", async () => {
    const served = await serveProcess({
      PREFDISCO_DB: join(dir, 'dev-link.sqlite'),
      PREFDISCO_SEED_SAMPLE: 'false',
      PREFDISCO_SETUP_LINK_PORT: '5999',
    });
    try {
      const link = new URL(await setupLinkOf(served));
      expect(link.host).toBe('localhost:5999');
      expect(new URL(served.url).port).not.toBe('5999');
      expect(served.output()).toContain('ssh -L 5999:localhost:5999 to this machine first');
    } finally {
      await served.stop();
    }
  });
});
