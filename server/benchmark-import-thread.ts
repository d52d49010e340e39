import { workerData } from 'node:worker_threads';
import { AppError } from '../shared/errors.ts';
import { importBenchmarkFile, ImportRejectedError } from './services/benchmark/import-benchmark-file.ts';
import { type ImportTask, type ImportThreadOutcome, withoutRecords } from './services/benchmark/import-task.ts';
import { appErrorData } from './services/thread-errors.ts';
import { runThisWriterInBackground } from './services/thread-priority.ts';
import { openStorage } from './open-storage.ts';
import { joinLoopWriteGate } from './storage/write-gate.ts';
import type { PoolThreadData } from './services/thread-pool.ts';

// Imports leave the CPU to the live loop's people: at most half a core between their transactions
// (thread-priority.ts); once per thread of the pool.
runThisWriterInBackground();
// …and their writes leave SQLite's write lock to the loop while it waits for it.
joinLoopWriteGate((workerData as Partial<PoolThreadData> | null)?.writeGate);

/**
 * One benchmark import, on a thread of the import pool (a composition root like agreement-report-thread.ts): the
 * file's validation (parsing hundreds of MB of JSON) and its writes, off the live loop. Its own connection to the
 * server's database, opened for this import and closed after it; the writes are short transactions
 * (import-benchmark-queries.ts), so the live loop's writes on the server's connection wait for one chunk at most.
 * A rejected file and an AppError are answered as data; anything else is thrown, and the route answers it as a bug.
 */
export default async function importInThread(task: ImportTask): Promise<ImportThreadOutcome> {
  const storage = await openStorage(task.database, 'thread');
  try {
    const { outcome, report } = await importBenchmarkFile(storage, task.file, {
      study: task.study,
      skipImages: task.skipImages,
    });
    return { imported: { outcome, report: withoutRecords(report) } };
  } catch (error) {
    if (error instanceof ImportRejectedError) return { rejected: withoutRecords(error.report) };
    if (error instanceof AppError) return { refusal: appErrorData(error) };
    throw error;
  } finally {
    await storage.close();
  }
}
