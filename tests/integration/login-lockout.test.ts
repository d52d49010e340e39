import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createResearcher, login } from '../../server/services/auth/accounts.ts';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import { tempDir } from '../support/temp-files.ts';

// The per-account backoff through the real login service on a real SQLite file, with the clock injected.
const dir = tempDir();
let n = 0;
const open: SqliteStorage[] = [];
function openStorage(file = join(dir, `lockout-${++n}.sqlite`)): { storage: SqliteStorage; file: string } {
  const storage = SqliteStorage.open({ file });
  open.push(storage);
  return { storage, file };
}
afterEach(async () => {
  for (const storage of open.splice(0)) await storage.close();
});

const PASSWORD = 'quiet-harbor-lantern-7';
const T0 = Date.parse('2030-05-01T12:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);

/** The outcome of one attempt: 'ok', the refusal's code, or `rate_limited:<seconds to wait>`. */
async function attempt(storage: SqliteStorage, username: string, password: string, seconds: number): Promise<string> {
  try {
    await login(storage.people, username, password, at(seconds));
    return 'ok';
  } catch (error) {
    const e = error as { code?: string; details?: { retryAfterSeconds?: number } };
    return e.code === 'rate_limited' ? `rate_limited:${e.details?.retryAfterSeconds}` : String(e.code);
  }
}

describe('per-account lockout and backoff', () => {
  it('five failures lock the account for 1 min, even for the right password; then 2, 4 … up to 60 min', async () => {
    const { storage } = openStorage();
    await createResearcher(storage, 'alice', PASSWORD);
    const outcomes: string[] = [];
    for (let i = 0; i < 5; i++) outcomes.push(await attempt(storage, 'alice', 'wrong-password', i));
    expect(outcomes).toEqual(Array(5).fill('invalid_credentials'));
    expect(await attempt(storage, 'alice', PASSWORD, 5)).toBe('rate_limited:59');
    expect(await attempt(storage, 'Alice ', PASSWORD, 63)).toBe('rate_limited:1');
    // Refused attempts do not extend the lock; once it ends, the next failure locks again for twice as long.
    expect(await attempt(storage, 'alice', 'wrong-password', 64)).toBe('invalid_credentials');
    expect(await attempt(storage, 'alice', PASSWORD, 65)).toBe('rate_limited:119');
    let t = 64 + 120;
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      expect(await attempt(storage, 'alice', 'wrong-password', t)).toBe('invalid_credentials');
      const refused = await attempt(storage, 'alice', PASSWORD, t);
      delays.push(Number(refused.split(':')[1]));
      t += delays.at(-1) ?? 0;
    }
    expect(delays).toEqual([240, 480, 960, 1920, 3600, 3600]);
    // A success (after the lock) resets everything: the next failure is the first of five again.
    expect(await attempt(storage, 'alice', PASSWORD, t)).toBe('ok');
    expect(await attempt(storage, 'alice', 'wrong-password', t + 1)).toBe('invalid_credentials');
    expect(await attempt(storage, 'alice', PASSWORD, t + 2)).toBe('ok');
  });

  it('failures older than the 15-minute window are forgotten', async () => {
    const { storage } = openStorage();
    await createResearcher(storage, 'bob', PASSWORD);
    for (let i = 0; i < 4; i++) expect(await attempt(storage, 'bob', 'wrong-password', i)).toBe('invalid_credentials');
    // The window opened at 0 s; at 900 s it has closed and counting starts again.
    for (let i = 0; i < 4; i++)
      expect(await attempt(storage, 'bob', 'wrong-password', 900 + i)).toBe('invalid_credentials');
    expect(await attempt(storage, 'bob', PASSWORD, 905)).toBe('ok');
  });

  it('an unknown username is counted and refused exactly like a real one', async () => {
    const { storage } = openStorage();
    await createResearcher(storage, 'carol', PASSWORD);
    const real: string[] = [];
    const unknown: string[] = [];
    for (let i = 0; i < 7; i++) {
      real.push(await attempt(storage, 'carol', 'wrong-password', i));
      unknown.push(await attempt(storage, 'nobody-here', 'wrong-password', i));
    }
    expect(unknown).toEqual(real);
    expect(real.slice(5)).toEqual(['rate_limited:59', 'rate_limited:58']);
  });

  it('holds across a restart and between two processes on one database file', async () => {
    const { storage, file } = openStorage();
    await createResearcher(storage, 'dave', PASSWORD);
    for (let i = 0; i < 5; i++) await attempt(storage, 'dave', 'wrong-password', i);
    await storage.close();
    const reopened = openStorage(file).storage;
    const second = openStorage(file).storage;
    expect(await attempt(reopened, 'dave', PASSWORD, 10)).toBe('rate_limited:54');
    expect(await attempt(second, 'dave', PASSWORD, 10)).toBe('rate_limited:54');
    expect(await attempt(second, 'dave', PASSWORD, 70)).toBe('ok');
  });

  it('a burst of concurrent guesses gets five tries, not one per request', async () => {
    const { storage } = openStorage();
    await createResearcher(storage, 'erin', PASSWORD);
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) => attempt(storage, 'erin', `wrong-password-${i}`, 0)),
    );
    expect(outcomes.filter((o) => o === 'invalid_credentials')).toHaveLength(5);
    expect(outcomes.filter((o) => o === 'rate_limited:60')).toHaveLength(15);
  });
});
