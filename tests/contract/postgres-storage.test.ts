import { describe, expect, it } from 'vitest';
import { PostgresStorage } from '../../server/storage/postgres/postgres-storage.ts';
import { postgresInstalled } from '../support/postgres-cluster.ts';
import { needsPostgres, usePostgres } from '../support/postgres-database.ts';
import { consentStorageContract } from './consent-storage.contract.ts';
import { jobStorageContract } from './job-storage.contract.ts';
import { liveStorageContract } from './live-storage.contract.ts';
import { nodeStorageContract } from './node-storage.contract.ts';
import { participantDeletionContract } from './participant-deletion-storage.contract.ts';
import { peopleStorageContract } from './people-storage.contract.ts';
import { researchParticipantsContract } from './research-participants.contract.ts';
import { researchStorageContract } from './research-storage.contract.ts';
import { serverLeaseContract } from './server-lease-storage.contract.ts';
import { storageContract } from './storage.contract.ts';
import { studyAccessContract } from './study-access-storage.contract.ts';
import { twinStorageContract } from './twin-storage.contract.ts';

// The contracts the SQLite test files run (the study-work contract runs in postgres-work.test.ts): a fresh migrated
// database per test (a copy of a template migrated once for the file); two connections are two pools on one database, as two
// processes would have.
describe.skipIf(!postgresInstalled)(needsPostgres('PostgreSQL storage'), () => {
  const postgres = usePostgres();
  const openOn = async (url: string): Promise<PostgresStorage> => PostgresStorage.open({ url, maxConnections: 4 });
  const open = async (): Promise<PostgresStorage> => openOn((await postgres.migratedDatabase()).url);
  const openPair = async (): Promise<[PostgresStorage, PostgresStorage]> => {
    const { url } = await postgres.migratedDatabase();
    return [await openOn(url), await openOn(url)];
  };

  storageContract('postgres', open);
  serverLeaseContract('postgres', openPair);
  nodeStorageContract('postgres', openPair);
  jobStorageContract('postgres', openPair);
  peopleStorageContract('postgres', open);
  consentStorageContract('postgres', open);
  studyAccessContract('postgres', open);
  liveStorageContract('postgres', open);
  researchStorageContract('postgres', open);
  researchParticipantsContract('postgres', open);
  participantDeletionContract('postgres', open);
  twinStorageContract('postgres', openPair);

  // Unlike better-sqlite3's, these claims really overlap inside one process: each pool has several connections.
  it('four workers claiming from one queue at once never both get one job, and every job is claimed', async () => {
    const { url } = await postgres.migratedDatabase();
    const workers = await Promise.all([0, 1, 2, 3].map(async () => openOn(url)));
    try {
      const [first] = workers;
      for (let i = 0; i < 120; i++) await first?.jobs.enqueueJob({ kind: 'race', key: `job-${i}`, payload: { i } });
      const claimAll = async (storage: PostgresStorage, owner: string): Promise<string[]> => {
        const mine: string[] = [];
        const claimOne = async (): Promise<void> => {
          for (;;) {
            const job = await storage.jobs.claimJob({ kinds: ['race'], owner, leaseMs: 60_000, now: new Date() });
            if (!job) return;
            mine.push(job.key);
            await storage.jobs.finishJob(job.id, owner, 'done');
          }
        };
        // Several claim loops per worker, so claims overlap on the pool's connections too.
        await Promise.all([claimOne(), claimOne(), claimOne()]);
        return mine;
      };
      const results = await Promise.all(workers.map(async (w, i) => claimAll(w, `p${i}`)));
      const all = results.flat();
      expect(all).toHaveLength(120);
      expect(new Set(all).size).toBe(120);
      expect(results.filter((r) => r.length > 0).length).toBeGreaterThan(1);
      const done = (await first?.jobs.listJobs({ statuses: ['done'] })) ?? [];
      expect(done).toHaveLength(120);
      for (const job of done) expect(job.attempts).toBe(1);
    } finally {
      for (const w of workers) await w.close();
    }
  });
});
