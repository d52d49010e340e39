import { PgDatabase } from '../../server/storage/postgres/pg-database.ts';
import { PostgresCoreStorage } from '../../server/storage/postgres/postgres-core-storage.ts';
import { PostgresPeopleStorage } from '../../server/storage/postgres/postgres-people-storage.ts';
import { PostgresStudyWorkStorage } from '../../server/storage/postgres/postgres-study-work-storage.ts';
import type { Storage } from '../../server/storage/storage.ts';

/**
 * What the study-work contract uses of a Storage on PostgreSQL: the core (studies, imports, episodes), people and the
 * work part on one pool (of `max` connections), composed here until PostgresStorage carries the work part.
 */
class WorkTestStorage extends PostgresCoreStorage {
  readonly work = new PostgresStudyWorkStorage(this.db);
  readonly people = new PostgresPeopleStorage(this.db);
}

export function openPostgresWork(url: string, max = 4): Storage {
  // The contract is typed with the whole Storage; it calls only the members above (see studyWorkContract).
  return new WorkTestStorage(new PgDatabase(url, { max })) as unknown as Storage;
}
