import { randomUUID } from 'node:crypto';
import type { ClaimJobInput, EnqueueJobInput, Job, JobOutcome, JobRef, JobStatus, JobStorage } from '../job-storage.ts';
import { toJob, type JobRow } from '../rows/job-rows.ts';
import { leaseTime as iso } from '../rows/node-rows.ts';
import type { PgDatabase } from './pg-database.ts';

/**
 * The job queue on PostgreSQL (sqlite/sqlite-job-storage.ts; migration 014). Every change that depends on what a row
 * holds is one UPDATE … WHERE … RETURNING; a claim locks the row it picks with FOR UPDATE SKIP LOCKED, so claimers
 * running at once each take a different job instead of waiting on (or both taking) the same one. Times are ISO text
 * of one length, compared COLLATE "C" (byte order, as SQLite compares).
 */
export class PostgresJobStorage implements JobStorage {
  constructor(private readonly db: PgDatabase) {}

  async enqueueJob(input: EnqueueJobInput, now = new Date()): Promise<{ job: Job; created: boolean }> {
    const payload = JSON.stringify(input.payload);
    if (payload === undefined) throw new TypeError(`job ${input.key}: the payload is not JSON`);
    const at = iso(now);
    const [inserted] = await this.db.rows<JobRow>(
      `INSERT INTO jobs (id, kind, key, payload_json, status, created_at, updated_at)
       VALUES ($1, $2, $3, $4, 'queued', $5, $5) ON CONFLICT (key) DO NOTHING RETURNING *`,
      [randomUUID(), input.kind, input.key, payload, at],
    );
    if (inserted) return { job: toJob(inserted), created: true };
    const existing = await this.getJobByKey(input.key);
    if (existing === null) throw new Error(`job ${input.key}: neither inserted nor found`);
    return { job: existing, created: false };
  }

  async claimJob({ kinds, owner, leaseMs, now }: ClaimJobInput): Promise<Job | null> {
    const at = iso(now);
    const [row] = await this.db.rows<JobRow>(
      `UPDATE jobs SET status = 'running', owner = $2, lease_expires_at = $3, attempts = attempts + 1, updated_at = $4
       WHERE id = (
         SELECT id FROM jobs
         WHERE kind = ANY($1::text[])
           AND (status = 'queued' OR (status = 'running' AND lease_expires_at COLLATE "C" <= $4))
         ORDER BY created_at COLLATE "C", rowid LIMIT 1
         FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [[...kinds], owner, iso(now, leaseMs), at],
    );
    return row ? toJob(row) : null;
  }

  async renewJobLease(id: string, owner: string, leaseMs: number, now: Date): Promise<boolean> {
    const result = await this.db.pool.query(
      `UPDATE jobs SET lease_expires_at = $1, updated_at = $2 WHERE id = $3 AND owner = $4 AND status = 'running'`,
      [iso(now, leaseMs), iso(now), id, owner],
    );
    return result.rowCount === 1;
  }

  async finishJob(id: string, owner: string, outcome: JobOutcome, error?: string, now = new Date()): Promise<boolean> {
    const at = iso(now);
    const result = await this.db.pool.query(
      `UPDATE jobs SET status = $1, error = $2, owner = NULL, lease_expires_at = NULL, updated_at = $3, finished_at = $3
       WHERE id = $4 AND owner = $5 AND status = 'running'`,
      [outcome, outcome === 'failed' ? (error ?? 'failed') : null, at, id, owner],
    );
    return result.rowCount === 1;
  }

  async requestJobCancel(ref: JobRef, now = new Date()): Promise<Job | null> {
    const at = iso(now);
    const where = 'id' in ref ? 'id = $1' : 'key = $1';
    // A queued job has no worker to notice a flag: it ends here. A running one is flagged for its worker.
    const [row] = await this.db.rows<JobRow>(
      `UPDATE jobs SET
         cancel_requested = 1,
         status = CASE status WHEN 'queued' THEN 'cancelled' ELSE status END,
         finished_at = CASE status WHEN 'queued' THEN $2 ELSE finished_at END,
         updated_at = $2
       WHERE ${where} AND status IN ('queued', 'running')
       RETURNING *`,
      ['id' in ref ? ref.id : ref.key, at],
    );
    if (row) return toJob(row);
    return 'id' in ref ? this.getJob(ref.id) : this.getJobByKey(ref.key);
  }

  async isCancelRequested(id: string): Promise<boolean> {
    const [row] = await this.db.rows<{ cancel_requested: number }>('SELECT cancel_requested FROM jobs WHERE id = $1', [
      id,
    ]);
    return row?.cancel_requested === 1;
  }

  async releaseJob(id: string, owner: string, now = new Date()): Promise<boolean> {
    const result = await this.db.pool.query(
      `UPDATE jobs SET status = 'queued', owner = NULL, lease_expires_at = NULL, updated_at = $1
       WHERE id = $2 AND owner = $3 AND status = 'running'`,
      [iso(now), id, owner],
    );
    return result.rowCount === 1;
  }

  async releaseJobsOf(owner: string, now = new Date()): Promise<number> {
    const result = await this.db.pool.query(
      `UPDATE jobs SET status = 'queued', owner = NULL, lease_expires_at = NULL, updated_at = $1
       WHERE owner = $2 AND status = 'running'`,
      [iso(now), owner],
    );
    return result.rowCount ?? 0;
  }

  async requeueRunningJobs(now = new Date()): Promise<number> {
    const result = await this.db.pool.query(
      `UPDATE jobs SET status = 'queued', owner = NULL, lease_expires_at = NULL, updated_at = $1
       WHERE status = 'running'`,
      [iso(now)],
    );
    return result.rowCount ?? 0;
  }

  async getJob(id: string): Promise<Job | null> {
    const [row] = await this.db.rows<JobRow>('SELECT * FROM jobs WHERE id = $1', [id]);
    return row ? toJob(row) : null;
  }

  async getJobByKey(key: string): Promise<Job | null> {
    const [row] = await this.db.rows<JobRow>('SELECT * FROM jobs WHERE key = $1', [key]);
    return row ? toJob(row) : null;
  }

  async listJobs(filter: { kinds?: readonly string[]; statuses?: readonly JobStatus[] } = {}): Promise<Job[]> {
    const rows = await this.db.rows<JobRow>(
      `SELECT * FROM jobs
       WHERE ($1::text[] IS NULL OR kind = ANY($1::text[]))
         AND ($2::text[] IS NULL OR status = ANY($2::text[]))
       ORDER BY created_at COLLATE "C", rowid`,
      [filter.kinds ? [...filter.kinds] : null, filter.statuses ? [...filter.statuses] : null],
    );
    return rows.map(toJob);
  }
}
