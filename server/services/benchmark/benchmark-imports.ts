import type { DatabaseLocation } from '../../config.ts';
import type { Storage } from '../../storage/storage.ts';
import type { Logger } from '../logger.ts';
import { lazyPool } from '../thread-pool.ts';
import { rebuildAppError } from '../thread-errors.ts';
import { importBenchmarkFile, ImportRejectedError, type ImportFileResult } from './import-benchmark-file.ts';
import type { ImportTask, ImportThreadOutcome } from './import-task.ts';

/**
 * Where the server's benchmark imports run, as the upload route sees it. Validating a 100 MB file parses every line
 * (seconds of CPU) and storing it writes as much: on the live loop, that held every participant's request for
 * seconds. The server imports on a thread of a small pool; an app built on storage a thread cannot open (tests' apps,
 * an in-memory database) imports on its own thread. Either way the result and refusals are those of
 * `importBenchmarkFile`: ImportRejectedError with its report (without the parsed records), AppError as thrown.
 */
export interface BenchmarkImports {
  importFile(file: string, options: { study: string; skipImages: boolean }): Promise<ImportFileResult>;
  /** Stops the pool's thread; an import being written is abandoned and removed at the next start-up. */
  close(): Promise<void>;
}

/** The thread's entry: plain JS that registers tsx in the thread, then loads server/benchmark-import-thread.ts. */
const ENTRY = new URL('../../benchmark-import-boot.mjs', import.meta.url);

export function benchmarkImportPool(options: {
  database: DatabaseLocation;
  idleTimeoutMs?: number;
  log: Logger;
}): BenchmarkImports {
  // One import at a time: a second waits in the queue rather than competing with the first for the write lock.
  const pool = lazyPool<ImportTask, ImportThreadOutcome>({ entry: ENTRY, threads: 1, ...options });
  return {
    async importFile(file, { study, skipImages }) {
      const outcome = await pool.run({ database: options.database, file, study, skipImages });
      if ('rejected' in outcome) throw new ImportRejectedError(outcome.rejected);
      if ('refusal' in outcome) throw rebuildAppError(outcome.refusal);
      return outcome.imported;
    },
    close: () => pool.close(),
  };
}

export function inProcessBenchmarkImports(storage: Storage): BenchmarkImports {
  return {
    importFile: (file, options) => importBenchmarkFile(storage, file, options),
    close: async () => undefined,
  };
}

/** The pool when the app knows its database (the server: `config.database`), otherwise in-process. */
export function benchmarkImports(
  storage: Storage,
  database: DatabaseLocation | undefined,
  log: Logger,
): BenchmarkImports {
  return database === undefined || (database.kind === 'sqlite' && database.file === ':memory:')
    ? inProcessBenchmarkImports(storage)
    : benchmarkImportPool({ database, log });
}
