import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunInfo, RunProgress, RunStatus, StartRunBody } from '../../../shared/schemas/research.ts';
import type { StudyRecord } from '../../storage/research-storage.ts';
import type { Storage } from '../../storage/storage.ts';
import { ResultsFileError, runBatch, type BatchProgress } from '../evaluation/batch-run.ts';
import { runProgress } from './run-progress.ts';
import {
  DEFAULT_CONCURRENCY,
  optionsKey,
  runModels,
  runOptions,
  type MeteredModels,
  type ModelLookup,
} from './run-options.ts';
import { AppError } from '../../../shared/errors.ts';
import type { Logger } from '../logger.ts';

export interface BatchRunsDeps {
  storage: Storage;
  models: ModelLookup;
  /** Where results files go: `<runsDir>/<runId>.jsonl`. */
  runsDir: string;
  /** The service's logger; each run logs through a child carrying its studyId and runId. */
  log: Logger;
  /** How often a running run's progress is written to the database (default 2 s). */
  persistEveryMs?: number;
}

interface ActiveRun {
  controller: AbortController;
  log: Logger;
  models: MeteredModels;
  startedAt: number;
  endedAt: number | null;
  batch: BatchProgress;
  /** Set when runBatch has returned, so readers stop reporting 'running' before the row is rewritten. */
  final: { status: RunStatus; error?: RunProgress['error'] } | null;
  finished: Promise<void>;
}

interface RecordSet {
  records: StudyRecord[];
  sha256: string;
}

/** A cancel answers once the run has stopped, or after this long with the run still stopping. */
const CANCEL_WAIT_MS = 10_000;

function recordsSha256(records: readonly StudyRecord[]): string {
  const hash = createHash('sha256');
  for (const r of records) hash.update(`${JSON.stringify(r.record)}\n`);
  return hash.digest('hex');
}

/**
 * Batch runs started from the browser: each is `runBatch` over a study's stored records, in the background, with its
 * AbortController kept here. Progress is written to the run's row every few seconds and at the end; a run with the
 * options of an earlier one starts from a copy of its results file, so cancelling and starting again resumes.
 */
export class BatchRuns {
  private readonly active = new Map<string, ActiveRun>();
  /** (study, options) → run id ('' while starting): two identical runs at once would do the same work twice. */
  private readonly claims = new Map<string, string>();
  private closing = false;

  constructor(private readonly deps: BatchRunsDeps) {}

  /** At start-up: runs left 'running' by a process that stopped without finishing them were interrupted. */
  async recover(): Promise<number> {
    return this.deps.storage.research.interruptRunningRuns();
  }

  async start(studyId: string, body: StartRunBody): Promise<{ run: RunInfo; resumedFrom: string | null }> {
    if (this.closing) throw new AppError('unavailable', 'the server is shutting down');
    const { storage, runsDir } = this.deps;
    const options = runOptions(body);
    const models = runModels(this.deps.models, options);
    const claim = `${studyId}\u0000${optionsKey(options)}`;
    const holder = this.claims.get(claim);
    if (holder !== undefined)
      throw new AppError(
        'run_in_progress',
        'a run with these options is already running in this study',
        holder ? { details: { runId: holder } } : {},
      );
    this.claims.set(claim, '');
    try {
      if (!(await storage.getStudy(studyId))) throw new AppError('not_found', 'no such study');
      const records = await storage.research.listStudyRecords(studyId);
      if (records.length === 0)
        throw new AppError('no_records', 'the study has no records to run; import a benchmark file first');
      // The newest earlier run with these options, unless its results file was unreadable (a copy would fail again).
      const previous = (await storage.research.listRuns(studyId)).find(
        (r) =>
          r.status !== 'running' &&
          r.progress?.error?.code !== 'results_file_invalid' &&
          optionsKey(r.options) === optionsKey(options),
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
      const sha256 = recordsSha256(records);
      const run = await storage.research.createStudyRun({
        id,
        studyId,
        benchmarkSha256: sha256,
        outPath,
        options: { ...options, concurrency, resumedFrom },
      });
      this.claims.set(claim, id);
      this.launch(run, { records, sha256 }, models, outPath, claim);
      return { run, resumedFrom };
    } catch (error) {
      this.claims.delete(claim);
      throw error;
    }
  }

  async get(runId: string): Promise<RunInfo | null> {
    const stored = await this.deps.storage.research.getRun(runId);
    if (!stored) return null;
    // The results file's path is the server's business, not the browser's.
    const { outPath: _outPath, ...run } = stored;
    const active = this.active.get(runId);
    return active ? { ...run, status: active.final?.status ?? 'running', progress: this.snapshot(active) } : run;
  }

  async list(studyId: string): Promise<RunInfo[]> {
    const runs = await this.deps.storage.research.listRuns(studyId);
    return runs.map((run) => {
      const active = this.active.get(run.id);
      return active ? { ...run, status: active.final?.status ?? 'running', progress: this.snapshot(active) } : run;
    });
  }

  /** Stops a running run (its status becomes 'interrupted'); `not_running` if it already ended. */
  async cancel(runId: string): Promise<RunInfo> {
    const active = this.active.get(runId);
    if (!active) {
      const run = await this.get(runId);
      if (!run) throw new AppError('not_found', 'no such run');
      throw new AppError('not_running', `the run is not running (it is ${run.status})`, {
        details: { status: run.status },
      });
    }
    active.controller.abort();
    await Promise.race([active.finished, sleep(CANCEL_WAIT_MS, undefined, { ref: false })]);
    return (await this.get(runId)) as RunInfo;
  }

  /** The run's results file (reference format), or null for an unknown run. */
  async resultsFile(runId: string): Promise<{ path: string; exists: boolean; status: RunStatus } | null> {
    const run = await this.deps.storage.research.getRun(runId);
    if (!run?.outPath) return null;
    return {
      path: run.outPath,
      exists: existsSync(run.outPath),
      status: this.active.has(runId) ? 'running' : run.status,
    };
  }

  /** Stops every running run and waits until each has stored its episodes and final progress ('interrupted'). */
  async close(): Promise<void> {
    this.closing = true;
    const running = [...this.active.values()];
    for (const run of running) run.controller.abort();
    await Promise.all(running.map((r) => r.finished));
  }

  private launch(run: RunInfo, records: RecordSet, models: MeteredModels, outFile: string, claim: string): void {
    const active: ActiveRun = {
      controller: new AbortController(),
      log: this.deps.log.child({ studyId: run.studyId, runId: run.id }),
      models,
      startedAt: Date.now(),
      endedAt: null,
      final: null,
      finished: Promise.resolve(),
      batch: { total: 0, done: 0, failed: 0, skipped: 0, running: 0, elapsedMs: 0 },
    };
    this.active.set(run.id, active);
    const timer = setInterval(() => void this.persist(run.id, active), this.deps.persistEveryMs ?? 2000);
    timer.unref();
    active.finished = this.execute(run, records, active, outFile).finally(() => {
      clearInterval(timer);
      this.active.delete(run.id);
      this.claims.delete(claim);
    });
  }

  private async execute(
    run: RunInfo,
    { records, sha256 }: RecordSet,
    active: ActiveRun,
    outFile: string,
  ): Promise<void> {
    const o = run.options;
    const taskByProblem = new Map(records.map((r) => [r.problemId, r.task]));
    try {
      const summary = await runBatch({
        benchmarkFile: `study:${run.studyId}`,
        prepared: {
          records: records.map((r) => r.record),
          sha256,
          taskOf: (r) => taskByProblem.get(r.problem_id) ?? 'unknown',
        },
        runId: run.id,
        outFile,
        models: active.models,
        modes: o.modes,
        userTypes: o.userTypes,
        maxTurns: o.maxTurns,
        fixedQuestions: o.fixedQuestions,
        maxProblems: o.maxProblems,
        seed: o.seed,
        shard: null,
        concurrency: o.concurrency ?? DEFAULT_CONCURRENCY,
        reference: { missingScoreAsOne: false, correctnessTemperature: false },
        skipImages: true,
        storage: this.deps.storage,
        signal: active.controller.signal,
        onProgress: (p) => {
          active.batch = p;
        },
      });
      active.batch = summary;
      active.final = { status: summary.interrupted ? 'interrupted' : 'completed' };
      active.log.info(
        { status: active.final.status, done: summary.done, failed: summary.failed, resumed: summary.skipped },
        'batch run ended',
      );
    } catch (error) {
      if (error instanceof ResultsFileError) {
        active.final = {
          status: 'failed',
          error: {
            code: 'results_file_invalid',
            message: `${error.issues.length} lines of the results file are not result lines`,
          },
        };
      } else {
        active.log.error({ err: error }, 'batch run stopped');
        active.final = {
          status: 'failed',
          error: { code: 'internal', message: 'the run stopped on an internal error; the server log has the details' },
        };
      }
    }
    active.endedAt = Date.now();
    await this.persist(run.id, active);
  }

  private snapshot(active: ActiveRun): RunProgress {
    const usage = [active.models.assistant, active.models.judge, active.models.simulator].map((m) => m.totals);
    return runProgress(active.batch, usage, (active.endedAt ?? Date.now()) - active.startedAt, active.final?.error);
  }

  private async persist(runId: string, active: ActiveRun): Promise<void> {
    try {
      await this.deps.storage.research.updateRun(runId, {
        ...(active.final ? { status: active.final.status } : {}),
        progress: this.snapshot(active),
      });
    } catch (error) {
      // Progress is a convenience; a failed write must not stop the run (the episodes and results file are the data).
      active.log.error({ err: error }, 'storing batch run progress failed');
    }
  }
}
