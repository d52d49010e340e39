import type { AgreementReport, AgreementSettings } from '../../../shared/schemas/agreement.ts';
import type { DatabaseLocation } from '../../config.ts';
import type { AppErrorData } from '../thread-errors.ts';

// What crosses between the live loop and the agreement report pool's thread (report-pool.ts): plain data only.
export { appErrorData, rebuildAppError, type AppErrorData } from '../thread-errors.ts';

/** What the thread is asked (server/agreement-report-thread.ts): plain data, copied to the thread. */
export interface ReportTask {
  database: DatabaseLocation;
  studyId: string;
  settings: AgreementSettings;
}

/** What the thread answers. Anything other than an AppError is thrown there and reaches the route as a plain Error. */
export type ReportOutcome = { report: AgreementReport | null } | { refusal: AppErrorData };
