import type {
  ChunkFailure,
  QueuedRun,
  QueuedRunCounts,
  QueuedRunLine,
  QueuedRunStorage,
  QueuedRunUsage,
} from '../queued-run-storage.ts';
import { PgDatabase } from './pg-database.ts';

interface RunRow {
  run_id: string;
  problem_ids_json: string | null;
  jobs: number;
  chunk_size: number;
  chunk_tries: number;
  chunk_retry_seconds: number;
  cancel_requested: number;
}

interface FailureRow {
  chunk: number;
  tries: number;
  last_error: string;
  last_worker: string;
}

const toFailure = (r: FailureRow): ChunkFailure => ({
  chunk: r.chunk,
  tries: r.tries,
  lastError: r.last_error,
  lastWorker: r.last_worker,
});

interface LineRow {
  job_index: number;
  outcome: 'done' | 'failed';
  line_json: string;
  episode_id: string | null;
  worker: string;
}

function toRun(row: RunRow): QueuedRun {
  return {
    runId: row.run_id,
    problemIds: row.problem_ids_json === null ? null : (JSON.parse(row.problem_ids_json) as string[]),
    jobs: row.jobs,
    chunkSize: row.chunk_size,
    chunkTries: row.chunk_tries,
    chunkRetrySeconds: row.chunk_retry_seconds,
    cancelRequested: row.cancel_requested === 1,
  };
}

/**
 * Queued runs on PostgreSQL (migration 020). Its own small pool, beside the process's Storage: a worker process
 * polls the cancel flag and stores lines while its episodes hold the Storage's connections.
 */
export class PostgresQueuedRuns implements QueuedRunStorage {
  private constructor(private readonly db: PgDatabase) {}

  /** The database must be migrated already (the process's Storage opened first does it). */
  static open(url: string, maxConnections = 3): PostgresQueuedRuns {
    return new PostgresQueuedRuns(new PgDatabase(url, { max: maxConnections }));
  }

  async registerRun(run: Omit<QueuedRun, 'cancelRequested'>): Promise<QueuedRun> {
    await this.db.rows(
      `INSERT INTO queued_runs (run_id, problem_ids_json, jobs, chunk_size, chunk_tries, chunk_retry_seconds, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (run_id) DO NOTHING`,
      [
        run.runId,
        run.problemIds === null ? null : JSON.stringify(run.problemIds),
        run.jobs,
        run.chunkSize,
        run.chunkTries,
        run.chunkRetrySeconds,
        new Date().toISOString(),
      ],
    );
    const stored = await this.getRun(run.runId);
    if (!stored) throw new Error(`queued run ${run.runId} vanished as it was registered`);
    return stored;
  }

  async getRun(runId: string): Promise<QueuedRun | null> {
    const [row] = await this.db.rows<RunRow>(
      `SELECT run_id, problem_ids_json, jobs, chunk_size, chunk_tries, chunk_retry_seconds, cancel_requested
       FROM queued_runs WHERE run_id = $1`,
      [runId],
    );
    return row ? toRun(row) : null;
  }

  async requestCancel(runId: string): Promise<void> {
    await this.db.rows('UPDATE queued_runs SET cancel_requested = 1 WHERE run_id = $1', [runId]);
  }

  async storeLine(runId: string, line: QueuedRunLine): Promise<boolean> {
    const rows = await this.db.rows(
      `INSERT INTO queued_run_lines (run_id, job_index, outcome, line_json, episode_id, worker, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (run_id, job_index) DO NOTHING RETURNING job_index`,
      [runId, line.jobIndex, line.outcome, line.lineJson, line.episodeId, line.worker, new Date().toISOString()],
    );
    return rows.length === 1;
  }

  async storedIndexes(runId: string, from: number, to: number): Promise<number[]> {
    const rows = await this.db.rows<{ job_index: number }>(
      'SELECT job_index FROM queued_run_lines WHERE run_id = $1 AND job_index >= $2 AND job_index < $3',
      [runId, from, to],
    );
    return rows.map((r) => r.job_index);
  }

  async counts(runId: string): Promise<QueuedRunCounts> {
    const rows = await this.db.rows<{ outcome: 'done' | 'failed'; n: number }>(
      'SELECT outcome, COUNT(*)::integer AS n FROM queued_run_lines WHERE run_id = $1 GROUP BY outcome',
      [runId],
    );
    const counts: QueuedRunCounts = { done: 0, failed: 0 };
    for (const r of rows) counts[r.outcome] = r.n;
    return counts;
  }

  async lines(runId: string): Promise<QueuedRunLine[]> {
    const rows = await this.db.rows<LineRow>(
      `SELECT job_index, outcome, line_json, episode_id, worker FROM queued_run_lines
       WHERE run_id = $1 ORDER BY job_index`,
      [runId],
    );
    return rows.map((r) => ({
      jobIndex: r.job_index,
      outcome: r.outcome,
      lineJson: r.line_json,
      episodeId: r.episode_id,
      worker: r.worker,
    }));
  }

  async recordChunkFailure(runId: string, chunk: number, worker: string, error: string): Promise<ChunkFailure> {
    const [row] = await this.db.rows<FailureRow>(
      `INSERT INTO queued_run_chunk_failures AS f (run_id, chunk, tries, last_error, last_worker, updated_at)
       VALUES ($1, $2, 1, $3, $4, $5)
       ON CONFLICT (run_id, chunk) DO UPDATE SET tries = f.tries + 1, last_error = EXCLUDED.last_error,
         last_worker = EXCLUDED.last_worker, updated_at = EXCLUDED.updated_at
       RETURNING chunk, tries, last_error, last_worker`,
      [runId, chunk, error, worker, new Date().toISOString()],
    );
    if (!row) throw new Error(`queued run ${runId}: counting a failure of chunk ${chunk} returned no row`);
    return toFailure(row);
  }

  async chunkFailures(runId: string): Promise<ChunkFailure[]> {
    const rows = await this.db.rows<FailureRow>(
      'SELECT chunk, tries, last_error, last_worker FROM queued_run_chunk_failures WHERE run_id = $1 ORDER BY chunk',
      [runId],
    );
    return rows.map(toFailure);
  }

  async storeUsage(runId: string, claimId: string, worker: string, usage: QueuedRunUsage): Promise<void> {
    // GREATEST: a claim's totals only grow, so writes that arrive out of order keep the latest (it ignores NULLs).
    await this.db.rows(
      `INSERT INTO queued_run_usage AS u
         (run_id, claim_id, worker, calls, input_tokens, output_tokens, cost_usd, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (run_id, claim_id) DO UPDATE SET
         calls = GREATEST(u.calls, EXCLUDED.calls),
         input_tokens = GREATEST(u.input_tokens, EXCLUDED.input_tokens),
         output_tokens = GREATEST(u.output_tokens, EXCLUDED.output_tokens),
         cost_usd = GREATEST(u.cost_usd, EXCLUDED.cost_usd),
         updated_at = EXCLUDED.updated_at`,
      [
        runId,
        claimId,
        worker,
        usage.calls,
        usage.inputTokens,
        usage.outputTokens,
        usage.costUsd,
        new Date().toISOString(),
      ],
    );
  }

  async usage(runId: string): Promise<QueuedRunUsage> {
    const [row] = await this.db.rows<{
      calls: number;
      input_tokens: number;
      output_tokens: number;
      cost_usd: number | null;
    }>(
      `SELECT COALESCE(SUM(calls), 0)::bigint AS calls, COALESCE(SUM(input_tokens), 0)::bigint AS input_tokens,
         COALESCE(SUM(output_tokens), 0)::bigint AS output_tokens, SUM(cost_usd) AS cost_usd
       FROM queued_run_usage WHERE run_id = $1`,
      [runId],
    );
    return {
      calls: row?.calls ?? 0,
      inputTokens: row?.input_tokens ?? 0,
      outputTokens: row?.output_tokens ?? 0,
      costUsd: row?.cost_usd ?? null,
    };
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
