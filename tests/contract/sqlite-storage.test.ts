import { join } from 'node:path';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import { tempDir } from '../support/temp-files.ts';
import { consentStorageContract } from './consent-storage.contract.ts';
import { liveStorageContract } from './live-storage.contract.ts';
import { researchParticipantsContract } from './research-participants.contract.ts';
import { researchStorageContract } from './research-storage.contract.ts';
import { participantDeletionContract } from './participant-deletion-storage.contract.ts';
import { peopleStorageContract } from './people-storage.contract.ts';
import { storageContract } from './storage.contract.ts';
import { studyAccessContract } from './study-access-storage.contract.ts';
import { studyWorkContract } from './study-work-storage.contract.ts';

const dir = tempDir();
let n = 0;

// A real database file per test, as the app uses it (WAL journal and all).
storageContract('sqlite', async () => SqliteStorage.open({ file: join(dir, `db-${++n}.sqlite`) }));
peopleStorageContract('sqlite', async () => SqliteStorage.open({ file: join(dir, `db-${++n}.sqlite`) }));
consentStorageContract('sqlite', async () => SqliteStorage.open({ file: join(dir, `db-${++n}.sqlite`) }));
studyWorkContract('sqlite', async () => {
  const file = join(dir, `db-${++n}.sqlite`);
  return { storage: SqliteStorage.open({ file }), openAnother: async () => SqliteStorage.open({ file }) };
});
liveStorageContract('sqlite', async () => SqliteStorage.open({ file: join(dir, `db-${++n}.sqlite`) }));
researchStorageContract('sqlite', async () => SqliteStorage.open({ file: join(dir, `db-${++n}.sqlite`) }));
researchParticipantsContract('sqlite', async () => SqliteStorage.open({ file: join(dir, `db-${++n}.sqlite`) }));
studyAccessContract('sqlite', async () => SqliteStorage.open({ file: join(dir, `db-${++n}.sqlite`) }));
participantDeletionContract('sqlite', async () => SqliteStorage.open({ file: join(dir, `db-${++n}.sqlite`) }));
