import { renameSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { QueuedRunLine, QueuedRunStorage, QueuedRunUsage } from '../../storage/queued-run-storage.ts';
import type { Storage } from '../../storage/storage.ts';
import { aggregateLine } from '../evaluation/aggregate-line.ts';
import { ResultsFileError } from '../evaluation/batch-errors.ts';
import { planBatch, type BatchPlan } from '../evaluation/batch-plan.ts';
import { jobKey } from '../evaluation/job-plan.ts';
import type { BatchProgress } from '../evaluation/batch-spec.ts';
import { readResultsFile } from '../evaluation/result-files.ts';
import type { ModelLookup } from '../research/run-options.ts';
import { studyRunSpec } from '../research/study-run-spec.ts';
import { planChunks, type BatchQueue } from './batch-queue.ts';

export interface QueuedRunDeps {
  storage: Storage;
  queuedRuns: QueuedRunStorage;
  queue: BatchQueue;
  /** The declared models: the aggregate line names the model under test as its provider does. */
  models: ModelLookup;
  /** Plan entries per chunk (default 4: a record's modes, about). */
  chunkSize?: number;
  /**
   * How many times a chunk may fail (its worker threw) before its entries are recorded as failed (default 5), and
   * the pause before its second try, doubling for each further one (default 10 s: 10, 20, 40, 80 s).
   */
  chunkTries?: number;
  chunkRetrySeconds?: number;
  /** How often the run's progress is read from the database (default 250 ms). */
  pollMs?: number;
  /** Stops following the run; it also cancels the run unless `cancels` says the reason does not (a shutdown). */
  signal: AbortSignal;
  cancels?: (reason: unknown) => boolean;
  onProgress?: (progress: BatchProgress) => void;
  /** The run's model usage summed over every worker's claims, read with each progress. */
  onUsage?: (usage: QueuedRunUsage) => void;
}

export interface QueuedRunSummary extends BatchProgress {
  interrupted: boolean;
  outFile: string;
  failuresFile: string;
  aggregateFile: string | null;
  usage: QueuedRunUsage;
}

/**
 * A browser-started run shared through the job queue (PostgreSQL): plans the run as a one-process run would, records
 * it and enqueues its chunks (both idempotent, so a coordinator resumed after a restart picks the run up where it
 * was), then follows it from the database: progress is the count of stored lines. A cancel sets the run's flag (the
 * workers playing its chunks stop within a poll) and cancels its chunks still queued. When every entry has a line,
 * the results and failures files are written from the database in plan order, so they hold the same lines as a
 * one-process run of the same seed (whose file is in the order episodes ended), and the aggregate line is appended.
 */
export async function runQueuedBatch(
  runId: string,
  problemIds: string[] | null,
  deps: QueuedRunDeps,
): Promise<QueuedRunSummary> {
  const { storage, queuedRuns, queue, signal } = deps;
  const started = Date.now();
  const run = await storage.research.getRun(runId);
  if (!run?.outPath) throw new Error(`batch run ${runId} is not stored (or has no results file)`);
  const records = await storage.research.listStudyRecords(run.studyId);
  const plan = await planBatch(studyRunSpec({ ...run, outPath: run.outPath }, records, problemIds));
  const queued = await queuedRuns.registerRun({
    runId,
    problemIds,
    jobs: plan.jobs.length,
    chunkSize: Math.max(1, deps.chunkSize ?? 4),
    chunkTries: Math.max(1, deps.chunkTries ?? 5),
    chunkRetrySeconds: Math.max(0, deps.chunkRetrySeconds ?? 10),
  });
  const skipped = await adoptResults(plan, runId, queuedRuns);
  const chunks = planChunks(runId, queued.jobs, queued.chunkSize);
  // Only chunks with an entry still to play go to the queue: a run resumed from an earlier one's file (or a
  // coordinator resumed after a restart) leaves the rest out.
  const stored = new Set(await queuedRuns.storedIndexes(runId, 0, queued.jobs));
  await queue.enqueue(chunks.filter((c) => !isStored(stored, c.from, c.to)));
  let usage: QueuedRunUsage = { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: null };
  const progress = async (): Promise<BatchProgress> => {
    const counts = await queuedRuns.counts(runId);
    usage = await queuedRuns.usage(runId);
    deps.onUsage?.(usage);
    // As in a one-process run, entries the earlier run's file had are `skipped`, not this run's `done`.
    const p = {
      total: queued.jobs,
      done: counts.done - skipped,
      failed: counts.failed,
      skipped,
      running: 0,
      elapsedMs: Date.now() - started,
    };
    deps.onProgress?.(p);
    return p;
  };
  const files = { outFile: plan.outFile, failuresFile: plan.failuresFile };
  for (;;) {
    if (signal.aborted || queued.cancelRequested) {
      // A coordinator that stops for a shutdown leaves the chunks to the workers; the next one follows the run again.
      if (queued.cancelRequested || (deps.cancels ?? (() => true))(signal.reason)) {
        await queuedRuns.requestCancel(runId);
        await queue.cancelRun(chunks);
      }
      // What was played so far, as a one-process run leaves its file: a run started later with the same options
      // begins with a copy of it (research/batch-runs.ts) and plays only the rest.
      await writeFiles(plan, runId, queuedRuns);
      return { ...(await progress()), interrupted: true, ...files, aggregateFile: null, usage };
    }
    const p = await progress();
    if (p.done + p.failed + p.skipped >= p.total) break;
    await sleep(deps.pollMs ?? 250, undefined, { signal }).catch(() => undefined);
  }
  const lines = await writeFiles(plan, runId, queuedRuns);
  // A worker that died between storing an episode and its line left an episode no line names; its chunk's next claim
  // played the entry again. As in a one-process resume, the run's completed episodes are exactly its file's.
  await storage.abortUnrecordedEpisodes(
    runId,
    lines.flatMap((l) => (l.outcome === 'done' && l.episodeId ? [l.episodeId] : [])),
    'its worker stopped before its results line was stored; the run played it again',
  );
  const all = await readResultsFile(plan.outFile);
  writeFileSync(
    plan.aggregateFile,
    `${JSON.stringify(aggregateLine(deps.models.get(run.options.model).config.name, all.results))}\n`,
    { flag: 'a' },
  );
  return { ...(await progress()), interrupted: false, ...files, aggregateFile: plan.aggregateFile, usage };
}

/** Whether every plan position in [from, to) has a line. */
function isStored(stored: ReadonlySet<number>, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!stored.has(i)) return false;
  return true;
}

/**
 * A run started with the options of an earlier one begins with a copy of its results file (research/batch-runs.ts):
 * its lines become the run's lines before any chunk is enqueued, so the workers skip those entries, as a one-process
 * run resuming from the file does. Insert-if-absent, so a coordinator resumed after a restart may do it again (the
 * file is rewritten only at the end). Returns how many entries the file had.
 */
async function adoptResults(plan: BatchPlan, runId: string, queuedRuns: QueuedRunStorage): Promise<number> {
  const existing = await readResultsFile(plan.outFile);
  if (existing.issues.length > 0) throw new ResultsFileError(plan.outFile, existing.issues);
  const indexOf = new Map(plan.jobs.map((j, i) => [jobKey(j.record.problem_id, j.mode, j.userType), i]));
  let adopted = 0;
  for (const result of existing.results) {
    const jobIndex = indexOf.get(jobKey(result.problem_id, result.mode, result.user_type));
    if (jobIndex === undefined) continue;
    const episodeId = (result as { prefdisco_live?: { episode_id?: unknown } }).prefdisco_live?.episode_id;
    await queuedRuns.storeLine(runId, {
      jobIndex,
      outcome: 'done',
      lineJson: JSON.stringify(result),
      episodeId: typeof episodeId === 'string' ? episodeId : null,
      worker: 'earlier-run',
    });
    adopted += 1;
  }
  return adopted;
}

/** The run's results and failures files from its stored lines, in plan order; returns the lines. */
async function writeFiles(plan: BatchPlan, runId: string, queuedRuns: QueuedRunStorage): Promise<QueuedRunLine[]> {
  const lines = await queuedRuns.lines(runId);
  await mkdir(dirname(plan.outFile), { recursive: true });
  writeLines(
    plan.outFile,
    lines.filter((l) => l.outcome === 'done'),
  );
  writeLines(
    plan.failuresFile,
    lines.filter((l) => l.outcome === 'failed'),
  );
  return lines;
}

/** The file replaced at once (a temporary file renamed over it), with each stored line as it was stored. */
function writeLines(file: string, lines: readonly QueuedRunLine[]): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, lines.map((l) => `${l.lineJson}\n`).join(''));
  renameSync(tmp, file);
}
