import { afterEach, describe, expect, it } from 'vitest';
import type { Storage } from '../../server/storage/storage.ts';

const t0 = new Date('2026-01-01T00:00:00.000Z');
const later = (ms: number): Date => new Date(t0.getTime() + ms);
const a = { holder: 'a', host: 'h1', pid: 100 };
const b = { holder: 'b', host: 'h1', pid: 200 };

/** What this contract uses of a storage. */
export type ServerLeaseConnection = Pick<Storage, 'serverLease' | 'close'>;

/**
 * The behaviour every `Storage.serverLease` implementation must have, seen from two connections (two server processes). Run it from one test file per implementation; `openPair` gives two connections to one new database.
 */
export function serverLeaseContract(
  name: string,
  openPair: () => Promise<[ServerLeaseConnection, ServerLeaseConnection]>,
): void {
  describe(`server lease: ${name}`, () => {
    const open: ServerLeaseConnection[] = [];
    afterEach(async () => {
      for (const s of open.splice(0)) await s.close();
    });
    const twoConnections = async (): Promise<[ServerLeaseConnection, ServerLeaseConnection]> => {
      const pair = await openPair();
      open.push(...pair);
      return pair;
    };

    it('a second holder is refused while the first lease runs, and told who holds it', async () => {
      const [first, second] = await twoConnections();
      expect(await first.serverLease.acquire(a, t0, 15_000)).toEqual({ acquired: true });
      expect(await second.serverLease.acquire(b, later(14_999), 15_000)).toEqual({
        acquired: false,
        current: { ...a, expiresAt: '2026-01-01T00:00:15.000Z' },
      });
      expect(await second.serverLease.current()).toMatchObject({ holder: 'a', pid: 100 });
    });

    it('renewal keeps the lease; once it expires another holder takes over and the old one can no longer renew', async () => {
      const [first, second] = await twoConnections();
      await first.serverLease.acquire(a, t0, 15_000);
      expect(await first.serverLease.renew('a', later(10_000), 15_000)).toBe(true);
      expect((await second.serverLease.acquire(b, later(20_000), 15_000)).acquired).toBe(false);
      expect(await second.serverLease.acquire(b, later(25_001), 15_000)).toEqual({ acquired: true });
      expect(await first.serverLease.renew('a', later(25_002), 15_000)).toBe(false);
      expect(await first.serverLease.current()).toMatchObject({ holder: 'b', pid: 200 });
    });

    it('release frees the lease at once, and only its holder can release it', async () => {
      const [first, second] = await twoConnections();
      await first.serverLease.acquire(a, t0, 15_000);
      await second.serverLease.release('b');
      expect(await first.serverLease.current()).toMatchObject({ holder: 'a' });
      await first.serverLease.release('a');
      expect(await first.serverLease.current()).toBeNull();
      expect(await second.serverLease.acquire(b, later(1), 15_000)).toEqual({ acquired: true });
    });

    it('an unexpired lease is taken over only when canTakeOver says its holder is gone', async () => {
      const [first, second] = await twoConnections();
      await first.serverLease.acquire(a, t0, 15_000);
      const asked: number[] = [];
      const refused = await second.serverLease.acquire(b, later(1), 15_000, (current) => {
        asked.push(current.pid);
        return false;
      });
      expect(refused.acquired).toBe(false);
      expect(await second.serverLease.acquire(b, later(2), 15_000, (current) => current.pid === 100)).toEqual({
        acquired: true,
      });
      expect(asked).toEqual([100]);
      expect(await first.serverLease.current()).toMatchObject({ holder: 'b' });
    });

    it('of two holders acquiring a free lease at once, exactly one gets it', async () => {
      const [first, second] = await twoConnections();
      const outcomes = await Promise.all([
        first.serverLease.acquire(a, t0, 15_000),
        second.serverLease.acquire(b, t0, 15_000),
      ]);
      expect(outcomes.filter((o) => o.acquired)).toHaveLength(1);
      const winner = outcomes[0]?.acquired ? 'a' : 'b';
      expect(await first.serverLease.current()).toMatchObject({ holder: winner });
    });
  });
}
