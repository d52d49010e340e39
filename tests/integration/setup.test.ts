import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const account = { username: 'first', password: 'a long enough password' };
// The one-time token of the printed setup link (setup-token.test.ts covers requests without it).
const token = () => t.app.setupToken.value;

describe('first-run setup of the first researcher account', () => {
  it('is offered on a fresh database, only to this machine, once', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/setup' })).json()).toEqual({
      setupNeeded: true,
      fromThisMachine: true,
    });
    const remote = await t.app.inject({
      method: 'POST',
      url: '/api/auth/setup',
      payload: { ...account, setupToken: token() },
      remoteAddress: '10.1.2.3',
    });
    expect(remote.statusCode).toBe(403);
    const weak = await t.app.inject({
      method: 'POST',
      url: '/api/auth/setup',
      payload: { username: 'first', password: 'short', setupToken: token() },
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json()).toMatchObject({ error: 'weak_password' });
    // Long enough but guessable: repeats, blanks, the username with digits.
    for (const password of ['aaaaaaaaaa', ' '.repeat(10), 'first12345']) {
      const guessable = await t.app.inject({
        method: 'POST',
        url: '/api/auth/setup',
        payload: { username: 'first', password, setupToken: token() },
      });
      expect(guessable.statusCode, JSON.stringify(password)).toBe(400);
      expect(guessable.json()).toMatchObject({
        error: 'weak_password',
        message: expect.stringMatching(/^the password is too easy to guess\. .+ A few unrelated words/),
      });
    }
    expect(await t.storage.people.countResearchers()).toBe(0);

    const [a, b] = await Promise.all([
      t.app.inject({ method: 'POST', url: '/api/auth/setup', payload: { ...account, setupToken: token() } }),
      t.app.inject({
        method: 'POST',
        url: '/api/auth/setup',
        payload: { ...account, username: 'second', setupToken: token() },
      }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    expect(await t.storage.people.countResearchers()).toBe(1);
    const winner = a.statusCode === 200 ? a : b;
    const cookie = winner.cookies.find((c) => c.name === 'pd_session');
    expect(cookie?.httpOnly).toBe(true);
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { cookie: `pd_session=${cookie?.value}` },
    });
    expect(me.json()).toMatchObject({ identity: { kind: 'researcher' } });
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/setup' })).json()).toMatchObject({
      setupNeeded: false,
    });
  });
});
