import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../server/config.ts';
import { serveProcess, setupLinkOf, type ServedApp } from '../support/serve-process.ts';
import { tempDir } from '../support/temp-files.ts';

// `npm run dev`: the browser talks to Vite, which proxies /api to the server (vite.config.ts). The server compares a
// request's Origin with its Host, so the proxy must pass the page's Host on; it once rewrote it to the server's, and
// every sign-in and the first-run setup made through Vite were refused as cross-origin.
const dir = tempDir();
let served: ServedApp;
let vite: ViteDevServer;
let viteOrigin: string;

beforeAll(async () => {
  served = await serveProcess({ PREFDISCO_DB: join(dir, 'dev.sqlite'), PREFDISCO_SEED_SAMPLE: 'false' });
  // vite.config.ts takes the proxy's target from PREFDISCO_PORT when it is loaded, as under `npm run dev`.
  const before = process.env.PREFDISCO_PORT;
  process.env.PREFDISCO_PORT = new URL(served.url).port;
  try {
    vite = await createServer({
      configFile: join(PROJECT_ROOT, 'vite.config.ts'),
      logLevel: 'silent',
      server: { host: '127.0.0.1', port: 0, strictPort: true },
    });
  } finally {
    if (before === undefined) delete process.env.PREFDISCO_PORT;
    else process.env.PREFDISCO_PORT = before;
  }
  await vite.listen();
  const address = vite.httpServer?.address() as AddressInfo;
  viteOrigin = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  await vite?.close();
  await served?.stop();
});

const postThroughVite = (path: string, body: object) =>
  fetch(`${viteOrigin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: viteOrigin },
    body: JSON.stringify(body),
  });

describe("Vite's dev proxy", () => {
  it('passes sign-ins on as same-origin requests: a wrong password is refused as such, not as cross-origin', async () => {
    const res = await postThroughVite('/api/auth/login', { username: 'nobody', password: 'not the password' });
    expect(res.status).toBe(401);
    expect((await res.json()).error).toBe('invalid_credentials');
  });

  it('lets the first-run setup link work through it, as a browser on this machine opens it', async () => {
    const link = new URL(await setupLinkOf(served));
    const setupToken = new URLSearchParams(link.hash.slice(1)).get('token') ?? '';
    const account = { username: 'first', password: 'correct horse battery staple' };
    const res = await postThroughVite('/api/auth/setup', { ...account, setupToken });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ identity: { kind: 'researcher', username: 'first' } });
    expect(res.headers.get('set-cookie')).toMatch(/^pd_session=.+HttpOnly/);
  });
});
