import type { AgreementReport, AgreementSettings } from '../../../shared/schemas/agreement.ts';
import type { DatabaseLocation } from '../../config.ts';
import type { Storage } from '../../storage/storage.ts';
import type { Logger } from '../logger.ts';
import { lazyPool } from '../thread-pool.ts';
import { agreementReport } from './agreement-report.ts';
import { rebuildAppError, type ReportOutcome, type ReportTask } from './report-task.ts';

/**
 * Where agreement reports are computed, as the routes see it. A report gathers every rating and episode of a study and
 * resamples them thousands of times: seconds of CPU that must not hold up the live loop, which answers participants.
 * The server computes them on a thread of a small piscina pool; an app built on storage a thread cannot open (tests'
 * apps, an in-memory database) computes them on its own thread.
 */
export interface AgreementReports {
  /** The report of a study; null when there is no such study. Refusals are AppErrors, as from `agreementReport`. */
  report(studyId: string, settings: AgreementSettings): Promise<AgreementReport | null>;
  /** Stops the pool's thread (a report being computed is abandoned: its request is answered with an error). */
  close(): Promise<void>;
}

/** The thread's entry: plain JS that registers tsx in the thread, then loads server/agreement-report-thread.ts. */
const ENTRY = new URL('../../agreement-report-boot.mjs', import.meta.url);

export interface ReportPoolOptions {
  /** The server's database; each report opens its own connection to it on the thread. */
  database: DatabaseLocation;
  /** Reports computed at once (default 1: a second core stays with the live loop). */
  threads?: number;
  /** How long an idle thread is kept for the next report before it ends (default 5 minutes). */
  idleTimeoutMs?: number;
  /** Where the thread's failures outside a report go. */
  log: Logger;
}

/**
 * Reports on a lazy pool of worker threads (thread-pool.ts): made on the first report, its thread ending after
 * `idleTimeoutMs` without work (a researcher reading reports asks for several within minutes).
 */
export function agreementReportPool(options: ReportPoolOptions): AgreementReports {
  const pool = lazyPool<ReportTask, ReportOutcome>({ entry: ENTRY, ...options });
  return {
    async report(studyId, settings) {
      const outcome = await pool.run({ database: options.database, studyId, settings });
      if ('refusal' in outcome) throw rebuildAppError(outcome.refusal);
      return outcome.report;
    },
    // At shutdown a report is not worth waiting for: the researcher asks again once the server is back.
    close: () => pool.close(),
  };
}

/** Reports computed on the calling thread, for apps whose storage no other thread can open. */
export function inProcessAgreementReports(storage: Storage): AgreementReports {
  return {
    report: (studyId, settings) => agreementReport(storage, studyId, settings),
    close: async () => undefined,
  };
}

/**
 * The pool when the app knows the database its storage is on (the server: `config.database`), otherwise in-process.
 * An in-memory database exists only on its own connection, so it also stays in-process.
 */
export function agreementReports(
  storage: Storage,
  database: DatabaseLocation | undefined,
  log: Logger,
): AgreementReports {
  return database === undefined || (database.kind === 'sqlite' && database.file === ':memory:')
    ? inProcessAgreementReports(storage)
    : agreementReportPool({ database, log });
}
