import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { ClaimJobInput, EnqueueJobInput, Job, JobOutcome, JobRef, JobStatus, JobStorage } from '../job-storage.ts';
import { toJob, type JobRow } from '../rows/job-rows.ts';
import { leaseTime as iso } from '../rows/node-rows.ts';
import { cachedStatement } from './statement-cache.ts';

/**
 * The job queue on SQLite. Every change that depends on what a row holds is one UPDATE … WHERE … RETURNING, so it is
 * atomic against other connections (other threads or processes on the same file) without an explicit transaction.
 */
export class SqliteJobStorage implements JobStorage {
  constructor(private readonly db: Database.Database) {}

  async enqueueJob(input: EnqueueJobInput, now = new Date()): Promise<{ job: Job; created: boolean }> {
    const payload = JSON.stringify(input.payload);
    if (payload === undefined) throw new TypeError(`job ${input.key}: the payload is not JSON`);
    const at = iso(now);
    const inserted = cachedStatement(
      this.db,
      `INSERT INTO jobs (id, kind, key, payload_json, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'queued', ?, ?) ON CONFLICT(key) DO NOTHING RETURNING *`,
    ).get(randomUUID(), input.kind, input.key, payload, at, at) as JobRow | undefined;
    if (inserted) return { job: toJob(inserted), created: true };
    return { job: (await this.getJobByKey(input.key)) as Job, created: false };
  }

  async claimJob({ kinds, owner, leaseMs, now }: ClaimJobInput): Promise<Job | null> {
    const at = iso(now);
    // One statement: the sub-select and the update run under one write lock, so two claimers cannot both take a row.
    const row = cachedStatement(
      this.db,
      `UPDATE jobs SET status = 'running', owner = @owner, lease_expires_at = @lease, attempts = attempts + 1,
         updated_at = @at
       WHERE id = (
         SELECT id FROM jobs
         WHERE kind IN (SELECT value FROM json_each(@kinds))
           AND (status = 'queued' OR (status = 'running' AND lease_expires_at <= @at))
         ORDER BY created_at, rowid LIMIT 1)
       RETURNING *`,
    ).get({ owner, lease: iso(now, leaseMs), at, kinds: JSON.stringify(kinds) }) as JobRow | undefined;
    return row ? toJob(row) : null;
  }

  async renewJobLease(id: string, owner: string, leaseMs: number, now: Date): Promise<boolean> {
    const result = cachedStatement(
      this.db,
      `UPDATE jobs SET lease_expires_at = ?, updated_at = ? WHERE id = ? AND owner = ? AND status = 'running'`,
    ).run(iso(now, leaseMs), iso(now), id, owner);
    return result.changes === 1;
  }

  async finishJob(id: string, owner: string, outcome: JobOutcome, error?: string, now = new Date()): Promise<boolean> {
    const at = iso(now);
    const result = cachedStatement(
      this.db,
      `UPDATE jobs SET status = ?, error = ?, owner = NULL, lease_expires_at = NULL, updated_at = ?, finished_at = ?
       WHERE id = ? AND owner = ? AND status = 'running'`,
    ).run(outcome, outcome === 'failed' ? (error ?? 'failed') : null, at, at, id, owner);
    return result.changes === 1;
  }

  async requestJobCancel(ref: JobRef, now = new Date()): Promise<Job | null> {
    const at = iso(now);
    const where = 'id' in ref ? 'id = @ref' : 'key = @ref';
    // A queued job has no worker to notice a flag: it ends here. A running one is flagged for its worker.
    const row = cachedStatement(
      this.db,
      `UPDATE jobs SET
         cancel_requested = 1,
         status = CASE status WHEN 'queued' THEN 'cancelled' ELSE status END,
         finished_at = CASE status WHEN 'queued' THEN @at ELSE finished_at END,
         updated_at = @at
       WHERE ${where} AND status IN ('queued', 'running')
       RETURNING *`,
    ).get({ ref: 'id' in ref ? ref.id : ref.key, at }) as JobRow | undefined;
    if (row) return toJob(row);
    return 'id' in ref ? this.getJob(ref.id) : this.getJobByKey(ref.key);
  }

  async isCancelRequested(id: string): Promise<boolean> {
    const flag = cachedStatement(this.db, 'SELECT cancel_requested FROM jobs WHERE id = ?').pluck().get(id) as
      number | undefined;
    return flag === 1;
  }

  async releaseJob(id: string, owner: string, now = new Date()): Promise<boolean> {
    const result = cachedStatement(
      this.db,
      `UPDATE jobs SET status = 'queued', owner = NULL, lease_expires_at = NULL, updated_at = ?
       WHERE id = ? AND owner = ? AND status = 'running'`,
    ).run(iso(now), id, owner);
    return result.changes === 1;
  }

  async releaseJobsOf(owner: string, now = new Date()): Promise<number> {
    return cachedStatement(
      this.db,
      `UPDATE jobs SET status = 'queued', owner = NULL, lease_expires_at = NULL, updated_at = ?
       WHERE owner = ? AND status = 'running'`,
    ).run(iso(now), owner).changes;
  }

  async requeueRunningJobs(now = new Date()): Promise<number> {
    return cachedStatement(
      this.db,
      `UPDATE jobs SET status = 'queued', owner = NULL, lease_expires_at = NULL, updated_at = ? WHERE status = 'running'`,
    ).run(iso(now)).changes;
  }

  async getJob(id: string): Promise<Job | null> {
    const row = cachedStatement(this.db, 'SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    return row ? toJob(row) : null;
  }

  async getJobByKey(key: string): Promise<Job | null> {
    const row = cachedStatement(this.db, 'SELECT * FROM jobs WHERE key = ?').get(key) as JobRow | undefined;
    return row ? toJob(row) : null;
  }

  async listJobs(filter: { kinds?: readonly string[]; statuses?: readonly JobStatus[] } = {}): Promise<Job[]> {
    const rows = cachedStatement(
      this.db,
      `SELECT * FROM jobs
       WHERE (@kinds IS NULL OR kind IN (SELECT value FROM json_each(@kinds)))
         AND (@statuses IS NULL OR status IN (SELECT value FROM json_each(@statuses)))
       ORDER BY created_at, rowid`,
    ).all({
      kinds: filter.kinds ? JSON.stringify(filter.kinds) : null,
      statuses: filter.statuses ? JSON.stringify(filter.statuses) : null,
    }) as JobRow[];
    return rows.map(toJob);
  }
}
