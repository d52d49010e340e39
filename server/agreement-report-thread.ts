import { workerData } from 'node:worker_threads';
import { AppError } from '../shared/errors.ts';
import { agreementReport } from './services/agreement/agreement-report.ts';
import { appErrorData, type ReportOutcome, type ReportTask } from './services/agreement/report-task.ts';
import { runThisNonWriterInBackground } from './services/thread-priority.ts';
import { openStorage } from './open-storage.ts';
import { joinLoopWriteGate } from './storage/write-gate.ts';
import type { PoolThreadData } from './services/thread-pool.ts';

// Reports yield the CPU to the live loop's people (thread-priority.ts): they only read, so a lower nice value
// cannot leave the loop waiting for a lock they hold. Once per thread of the pool.
runThisNonWriterInBackground();
// …and their writes leave SQLite's write lock to the loop while it waits for it.
joinLoopWriteGate((workerData as Partial<PoolThreadData> | null)?.writeGate);

/**
 * One agreement report, on a thread of the report pool (a composition root like research-worker-main.ts): its own
 * connection to the server's database, opened for this report and closed after it, so an idle thread holds no file
 * open. It only reads; WAL lets it read while the live loop writes. An AppError is answered as data (see
 * ReportOutcome); anything else is thrown, and the route answers it as the bug it is.
 */
export default async function computeReport(task: ReportTask): Promise<ReportOutcome> {
  const storage = await openStorage(task.database, 'thread');
  try {
    return { report: await agreementReport(storage, task.studyId, task.settings) };
  } catch (error) {
    if (error instanceof AppError) return { refusal: appErrorData(error) };
    throw error;
  } finally {
    await storage.close();
  }
}
