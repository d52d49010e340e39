import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActorEvent } from '../../shared/protocol/live.ts';
import { PROJECT_ROOT } from '../../server/config.ts';
import { DEFAULT_AUTH_RATE_LIMITS } from '../../server/http/auth-routes.ts';
import { caddyBinary, freePort, startCaddy, type RunningCaddy } from '../support/caddy.ts';
import { request, startLiveApp, until, type LiveApp, type TestSocket } from '../support/live-app.ts';
import { simplePlayQueue } from '../support/simple-play-queue.ts';
import { tempDir } from '../support/temp-files.ts';

// The app behind a real Caddy over https, with the site block of deploy/Caddyfile as shipped: only the domain becomes
// a loopback port with Caddy's local CA (`tls internal`), and the upstream the port the app got. Caddy keeps all its
// state in a temporary folder, installs nothing into the system trust store, and listens on 127.0.0.1 only.

const caddy = caddyBinary();
const dir = tempDir();
const PROXY_TRUST = ['127.0.0.1', '::1'];
const HSTS = 'max-age=15552000; includeSubDomains';

let app: LiveApp;
let proxy: RunningCaddy;
let origin: string;
let httpsPort: number;
/** The address the app saw for each failed login (its log line). */
const failedLoginIps: string[] = [];

/** deploy/Caddyfile with the domain replaced by a loopback https site and the upstream by the app's port. */
function testCaddyfile(upstreamPort: number, httpPort: number): string {
  const shipped = readFileSync(join(PROJECT_ROOT, 'deploy', 'Caddyfile'), 'utf8');
  const site = shipped
    .replace(/^study\.example\.org \{$/m, `https://127.0.0.1:${httpsPort} {\n\tbind 127.0.0.1\n\ttls internal`)
    .replace('reverse_proxy 127.0.0.1:5170', `reverse_proxy 127.0.0.1:${upstreamPort}`);
  if (site === shipped || !site.includes(`127.0.0.1:${upstreamPort}`)) {
    throw new Error('deploy/Caddyfile no longer has the `study.example.org {` site or the 127.0.0.1:5170 upstream');
  }
  const globals = [
    'admin off',
    'auto_https disable_redirects',
    'skip_install_trust',
    'local_certs',
    `storage file_system {\n\t\troot ${join(dir, 'storage')}\n\t}`,
    `http_port ${httpPort}`,
    `https_port ${httpsPort}`,
  ];
  return `{\n\t${globals.join('\n\t')}\n}\n\n${site}`;
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** An https request through Caddy, trusting only Caddy's local CA; `from` picks the client's own loopback address. */
function send(
  path: string,
  options: { method?: string; body?: unknown; headers?: Record<string, string>; from?: string } = {},
): Promise<Answer> {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port: httpsPort,
        path,
        method: options.method ?? 'GET',
        ca: proxy.ca,
        localAddress: options.from ?? '127.0.0.1',
        headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...options.headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe.skipIf(caddy === null)(
  'behind Caddy over https (skipped when caddy is not installed: apt-get install caddy)',
  () => {
    beforeAll(async () => {
      app = await startLiveApp(join(dir, 'proxied.sqlite'), {
        queue: (storage, model) => simplePlayQueue(storage, model),
        deps: {
          config: { secureCookies: true, trustProxy: PROXY_TRUST },
          rateLimits: DEFAULT_AUTH_RATE_LIMITS,
          logger: {
            level: 'info',
            stream: {
              write: (line: string) => {
                const entry = JSON.parse(line) as { msg?: string; ip?: string };
                if (entry.msg === 'login failed' && entry.ip) failedLoginIps.push(entry.ip);
              },
            },
          },
        },
      });
      httpsPort = await freePort();
      const upstreamPort = Number(new URL(app.url).port);
      proxy = await startCaddy({
        binary: caddy ?? '',
        dir,
        caddyfile: testCaddyfile(upstreamPort, await freePort()),
        httpsPort,
        probePath: '/api/health',
      });
      origin = `https://127.0.0.1:${httpsPort}`;
    }, 60_000);
    afterAll(async () => {
      await proxy?.stop();
      await app?.close();
    });

    it('Caddy listens on loopback only', () => {
      const addresses = proxy.listening();
      expect(addresses).toContain(`127.0.0.1:${httpsPort}`);
      expect(addresses.filter((a) => !a.startsWith('127.0.0.1:'))).toEqual([]);
    });

    it('sends HSTS once, and the session cookie only over https (Secure)', async () => {
      const health = await send('/api/health');
      expect(health.status).toBe(200);
      expect(health.headers['strict-transport-security']).toBe(HSTS);

      const invite = await app.storage.people.createInvite({ studyId: app.studyId, role: 'actor' });
      const joined = await send(`/api/join/${invite.code}`, { method: 'POST', body: { PROLIFIC_PID: 'proxied-1' } });
      expect(joined.status).toBe(200);
      expect(joined.headers['strict-transport-security']).toBe(HSTS);
      const cookieLine = (joined.headers['set-cookie'] ?? []).find((l) => l.startsWith('pd_session=')) ?? '';
      expect(cookieLine).toMatch(/;\s*Secure/i);
      expect(cookieLine).toMatch(/;\s*HttpOnly/i);
    });

    it('a participant joins by invitation, the socket upgrades to a WebSocket through the proxy, and live play works', async () => {
      const invite = await app.storage.people.createInvite({ studyId: app.studyId, role: 'actor' });
      const joined = await send(`/api/join/${invite.code}`, { method: 'POST', body: { PROLIFIC_PID: 'proxied-2' } });
      const cookie = ((joined.headers['set-cookie'] ?? []).find((l) => l.startsWith('pd_session=')) ?? '').split(
        ';',
      )[0];
      expect(cookie).toMatch(/^pd_session=./);

      // Long-polling first, then the upgrade, as a browser does: both must pass the proxy.
      const socket: TestSocket = connect(origin, {
        ca: proxy.ca,
        extraHeaders: { cookie: cookie ?? '' },
        transports: ['polling', 'websocket'],
        forceNew: true,
        reconnection: false,
      });
      try {
        const upgraded = new Promise<string>((resolve) => socket.io.engine?.once('upgrade', (t) => resolve(t.name)));
        await new Promise<void>((resolve, reject) => {
          socket.once('connect', () => resolve());
          socket.once('connect_error', reject);
        });
        expect(await upgraded).toBe('websocket');
        expect(socket.io.engine.transport.name).toBe('websocket');

        const events = new Map<number, ActorEvent>();
        socket.on('episode:appended', ({ event }) => events.set(event.seq, event));
        const snapshot = await request(socket, 'play:start', {});
        for (const e of snapshot.events) events.set(e.seq, e);
        const question = () =>
          [...events.values()].find((e) => e.type === 'message' && e.role === 'assistant' && !e.final);
        await until(() => question() !== undefined, 10_000, 'the first question through the proxy');

        const ack = await request(socket, 'episode:reply', {
          episodeId: snapshot.episodeId,
          clientMessageId: 'through-caddy-1',
          text: 'Short answers, please.',
        });
        const stored = await app.storage.live.eventsAfter(snapshot.episodeId, ack.seq - 1);
        expect(stored[0]).toMatchObject({ type: 'message', kind: 'reply', clientMessageId: 'through-caddy-1' });
      } finally {
        socket.close();
      }
    });

    it('rate limits count each client by its own address; a forged X-Forwarded-For changes nothing', async () => {
      const login = (from: string, i: number) =>
        send('/api/auth/login', {
          method: 'POST',
          from,
          headers: { 'x-forwarded-for': `10.1.${i}.${i + 1}` },
          // A new username each time: only the per-address limit is under test, not the lock on one account.
          body: { username: `nobody-${from}-${i}`, password: `guess-${i}-password` },
        });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await login('127.0.0.2', i)).status);
      expect(statuses).toEqual([...Array<number>(10).fill(401), 429, 429]);
      // The app saw the client (127.0.0.2), not Caddy (127.0.0.1) nor the forged addresses.
      expect(new Set(failedLoginIps)).toEqual(new Set(['127.0.0.2']));
      // Another client has its own budget.
      expect((await login('127.0.0.3', 0)).status).toBe(401);
      expect(failedLoginIps.at(-1)).toBe('127.0.0.3');
    });
  },
);
