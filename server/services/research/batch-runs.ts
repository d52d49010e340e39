import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunInfo, RunProgress, RunStatus, StartRunBody } from '../../../shared/schemas/research.ts';
import type { Storage } from '../../storage/storage.ts';
import type { JobHost } from '../jobs/job-host.ts';
import { BATCH_RUN_JOB, batchRunJobKey, type BatchRunJobPayload } from './batch-run-job.ts';
import { DEFAULT_CONCURRENCY, optionsKey, runModels, runOptions, type ModelLookup } from './run-options.ts';
import { AppError } from '../../../shared/errors.ts';
import type { Logger } from '../logger.ts';

export interface BatchRunsDeps {
  storage: Storage;
  /** The declared models: a run naming an unknown or unusable one is refused before it is stored. */
  models: ModelLookup;
  /** Where results files go: `<runsDir>/<runId>.jsonl`. */
  runsDir: string;
  /** The service's logger; each run logs through a child carrying its studyId and runId. */
  log: Logger;
  /** Where the runs' jobs execute (the research worker thread in the server); told when one is enqueued or cancelled. */
  jobs: JobHost;
}

/** A run limited to the live study's selection: the selected records' ids, and what the run records about them. */
interface Selection {
  problemIds: string[];
  info: { records: number; sha256: string };
}

/** A cancel answers once the run has stopped, or after this long with the run still stopping. */
const CANCEL_WAIT_MS = 10_000;
/** How often a cancel looks at the run's row while it waits for the worker to stop the run. */
const CANCEL_POLL_MS = 20;

const NO_PROGRESS: RunProgress = {
  total: 0,
  done: 0,
  failed: 0,
  skipped: 0,
  running: 0,
  elapsedMs: 0,
  calls: 0,
  inputTokens: 0,
  outputTokens: 0,
  costUsd: null,
};

/** Runs with these options are the same work: a second one while the first is unfinished is refused. */
function claimOf(studyId: string, options: RunInfo['options']): string {
  return `${studyId}\u0000${optionsKey({ ...options, selection: undefined })}`;
}

/**
 * Batch runs started from the browser. Starting one records the run and its job (kind `batch_run`) in the database
 * and answers at once; the research worker claims the job and runs `runBatch` off the server's event loop
 * (batch-run-job.ts), writing progress to the run's row, which is what `get` and `list` read. A cancel is recorded on
 * the job and reaches the worker at once. A run with the options of an earlier one starts from a copy of its results
 * file, so cancelling and starting again resumes; a run cut short by a crash or shutdown resumes by itself.
 */
export class BatchRuns {
  /** Claims of runs being started (between the duplicate check and their job being stored). */
  private readonly starting = new Set<string>();
  private closing = false;

  constructor(private readonly deps: BatchRunsDeps) {}

  /**
   * At start-up: runs left 'running' were cut short. Those with a job still to do are resumed by the worker (which
   * sets them running again when it claims them); the rest (stored before runs had jobs) stay 'interrupted'.
   */
  async recover(): Promise<{ interrupted: number; resuming: number }> {
    const { storage } = this.deps;
    // Runs with a job waiting or under way resume (or, beside other nodes on PostgreSQL, are running there now): they
    // keep their status. The rest were left running by a crash and are interrupted.
    const active = await storage.jobs.listJobs({ kinds: [BATCH_RUN_JOB], statuses: ['queued', 'running'] });
    const keep = active.map((job) => (job.payload as BatchRunJobPayload).runId);
    let resuming = 0;
    for (const runId of keep) if ((await storage.research.getRun(runId))?.status === 'running') resuming += 1;
    const interrupted = await storage.research.interruptRunningRuns(keep);
    return { interrupted, resuming };
  }

  async start(studyId: string, body: StartRunBody): Promise<{ run: RunInfo; resumedFrom: string | null }> {
    if (this.closing) throw new AppError('unavailable', 'the server is shutting down');
    const { storage, runsDir } = this.deps;
    const options = runOptions(body);
    // Refuses unknown or unusable models before anything is stored (the worker builds its own from its registry).
    runModels(this.deps.models, options);
    const claim = claimOf(studyId, options);
    if (this.starting.has(claim))
      throw new AppError('run_in_progress', 'a run with these options is already running in this study');
    this.starting.add(claim);
    try {
      const holder = await this.unfinishedRunWith(claim);
      if (holder)
        throw new AppError('run_in_progress', 'a run with these options is already running in this study', {
          details: { runId: holder },
        });
      if (!(await storage.getStudy(studyId))) throw new AppError('not_found', 'no such study');
      // Only the ids, on the live loop: reading and parsing every record (a 5,000-record study held the loop for most
      // of a second) and hashing them is the job's work on the research worker, which stores the records' SHA-256.
      const problemIds = await storage.work.listProblemIds(studyId);
      if (problemIds.length === 0)
        throw new AppError('no_records', 'the study has no records to run; import a benchmark file first');
      const selection = options.records === 'study-selection' ? await this.selection(studyId, problemIds) : null;
      const key = optionsKey({ ...options, selection: selection?.info });
      // The newest earlier run with these options, unless its results file was unreadable (a copy would fail again).
      const previous = (await storage.research.listRuns(studyId)).find(
        (r) =>
          r.status !== 'running' && r.progress?.error?.code !== 'results_file_invalid' && optionsKey(r.options) === key,
      );
      const id = randomUUID();
      const outPath = join(runsDir, `${id}.jsonl`);
      await mkdir(runsDir, { recursive: true });
      let resumedFrom: string | null = null;
      const previousFile = previous ? (await storage.research.getRun(previous.id))?.outPath : null;
      if (previous && previousFile && existsSync(previousFile)) {
        // A copy, not the same file: each run's results file stays the complete record of that run.
        await copyFile(previousFile, outPath);
        resumedFrom = previous.id;
      }
      const concurrency = body.concurrency ?? DEFAULT_CONCURRENCY;
      const run = await storage.research.createStudyRun({
        id,
        studyId,
        benchmarkSha256: null,
        outPath,
        options: { ...options, concurrency, resumedFrom, ...(selection ? { selection: selection.info } : {}) },
      });
      const payload: BatchRunJobPayload = { runId: id, problemIds: selection?.problemIds ?? null };
      await storage.jobs.enqueueJob({ kind: BATCH_RUN_JOB, key: batchRunJobKey(id), payload });
      this.deps.log.info({ studyId, runId: id, resumedFrom }, 'batch run queued');
      this.deps.jobs.wake();
      return { run, resumedFrom };
    } finally {
      this.starting.delete(claim);
    }
  }

  /** The id of a run of `claim` whose job is not finished yet, if any. */
  private async unfinishedRunWith(claim: string): Promise<string | null> {
    const { storage } = this.deps;
    const unfinished = await storage.jobs.listJobs({ kinds: [BATCH_RUN_JOB], statuses: ['queued', 'running'] });
    for (const job of unfinished) {
      if (job.cancelRequested) continue;
      const run = await storage.research.getRun((job.payload as BatchRunJobPayload).runId);
      if (run && claimOf(run.studyId, run.options) === claim) return run.id;
    }
    return null;
  }

  /**
   * The records the live study's settings select for play (all of them when it selects all), in the study's order.
   * `no_records` when the selection names none of the study's records: an empty run would look like a finished one.
   */
  private async selection(studyId: string, studyProblemIds: readonly string[]): Promise<Selection> {
    const selected = (await this.deps.storage.work.getSettings(studyId))?.records ?? { kind: 'all' };
    const wanted = selected.kind === 'list' ? new Set(selected.problemIds) : null;
    const problemIds = studyProblemIds.filter((id) => wanted === null || wanted.has(id));
    if (problemIds.length === 0)
      throw new AppError(
        'no_records',
        "the live study's record selection names none of the study's records; choose records in the study settings or run on all records",
      );
    const hash = createHash('sha256');
    for (const id of [...problemIds].sort()) hash.update(`${id}\n`);
    return { problemIds, info: { records: problemIds.length, sha256: hash.digest('hex') } };
  }

  async get(runId: string): Promise<RunInfo | null> {
    const stored = await this.deps.storage.research.getRun(runId);
    if (!stored) return null;
    // The results file's path and the records' hash are the server's business, not the browser's.
    const { outPath: _outPath, benchmarkSha256: _sha, ...run } = stored;
    return run;
  }

  async list(studyId: string): Promise<RunInfo[]> {
    return this.deps.storage.research.listRuns(studyId);
  }

  /**
   * Stops a running run (its status becomes 'interrupted'); `not_running` if it already ended. The cancel is recorded
   * on the run's job and sent to the worker, and the answer waits until the worker has stopped the run.
   */
  async cancel(runId: string): Promise<RunInfo> {
    const { storage } = this.deps;
    const run = await this.get(runId);
    if (!run) throw new AppError('not_found', 'no such run');
    const before = await storage.jobs.getJobByKey(batchRunJobKey(runId));
    const unfinished = before !== null && (before.status === 'queued' || before.status === 'running');
    if (!unfinished || before.cancelRequested)
      throw new AppError('not_running', `the run is not running (it is ${run.status})`, {
        details: { status: run.status },
      });
    const job = await storage.jobs.requestJobCancel({ id: before.id });
    if (job?.status === 'cancelled') {
      // It was still queued: no worker had it, so its status is written here.
      await storage.research.updateRun(runId, { status: 'interrupted', progress: run.progress ?? NO_PROGRESS });
      return (await this.get(runId)) as RunInfo;
    }
    this.deps.jobs.cancel(before.id);
    const deadline = Date.now() + CANCEL_WAIT_MS;
    for (;;) {
      const now = await this.get(runId);
      if (!now || now.status !== 'running' || Date.now() > deadline) return now as RunInfo;
      await sleep(CANCEL_POLL_MS);
    }
  }

  /** The run's results file (reference format), or null for an unknown run. */
  async resultsFile(runId: string): Promise<{ path: string; exists: boolean; status: RunStatus } | null> {
    const run = await this.deps.storage.research.getRun(runId);
    if (!run?.outPath) return null;
    return { path: run.outPath, exists: existsSync(run.outPath), status: run.status };
  }

  /** No new runs from now on; running ones are stopped (and left resumable) when the job host closes. */
  async close(): Promise<void> {
    this.closing = true;
  }
}
