/**
 * The durable job queue: background work (batch runs, simulated twins, judging) is recorded here before it starts, so
 * it survives a crash or restart and runs off the server's event loop (see docs/ARCHITECTURE.md, "Live loop and
 * research worker"). A worker owns a running job through a lease it renews; a job whose lease expired is claimable
 * again (its worker died), and a job released at shutdown goes back to the queue.
 */

export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/** How a job ended, as its worker reports it. */
export type JobOutcome = 'done' | 'failed' | 'cancelled';

export interface Job {
  id: string;
  /** What kind of work ('batch_run', 'twin', …); workers claim by kind. */
  kind: string;
  /** Unique name of the job's subject ('batch_run:<runId>', 'twin:<episodeId>'): enqueueing it twice is one job. */
  key: string;
  /** What the worker needs to do the work, as given to enqueueJob (JSON). */
  payload: unknown;
  status: JobStatus;
  /** The worker holding a running job; null unless running. */
  owner: string | null;
  /** ISO time the owner's lease ends unless renewed; null unless running. */
  leaseExpiresAt: string | null;
  /** How many times the job was claimed (a number above 1: it was resumed after a crash or a shutdown). */
  attempts: number;
  cancelRequested: boolean;
  /** Why a failed job failed. */
  error: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export interface EnqueueJobInput {
  kind: string;
  key: string;
  /** Must survive JSON.stringify. */
  payload: unknown;
}

export interface ClaimJobInput {
  /** Kinds this worker runs; at least one. */
  kinds: readonly string[];
  /** Who claims (unique per worker start). */
  owner: string;
  leaseMs: number;
  now: Date;
}

export type JobRef = { id: string } | { key: string };

export interface JobStorage {
  /**
   * Records a queued job. Idempotent on `key`: if a job with that key exists (in any status) it is returned unchanged
   * with `created: false`, and its payload is not compared.
   */
  enqueueJob(input: EnqueueJobInput, now?: Date): Promise<{ job: Job; created: boolean }>;
  /**
   * Atomically takes the oldest job of `kinds` that is queued, or running with a lease expired at `now` (its worker is
   * gone), for `owner`: status running, lease until now + leaseMs, attempts + 1. Null if there is none. Two
   * connections (or processes) claiming at once never both get one job.
   */
  claimJob(input: ClaimJobInput): Promise<Job | null>;
  /** Extends the lease if `owner` still holds the job running; false if it no longer does (the job is not its own). */
  renewJobLease(id: string, owner: string, leaseMs: number, now: Date): Promise<boolean>;
  /**
   * Ends a job the owner holds: done, failed (with `error`) or cancelled. False (and nothing changed) if `owner` no
   * longer holds it running.
   */
  finishJob(id: string, owner: string, outcome: JobOutcome, error?: string, now?: Date): Promise<boolean>;
  /**
   * Asks for a job to stop. A queued job is cancelled at once; a running one is flagged and its worker ends it
   * ('cancelled') when it notices; a finished job is left as it is. Returns the job after the change, null if unknown.
   */
  requestJobCancel(ref: JobRef, now?: Date): Promise<Job | null>;
  /** True if a cancel was asked for the job (false for an unknown job). */
  isCancelRequested(id: string): Promise<boolean>;
  /**
   * Gives a running job back to the queue (shutdown: its work stopped and is resumable); false if `owner` no longer
   * holds it.
   */
  releaseJob(id: string, owner: string, now?: Date): Promise<boolean>;
  /** Gives every job `owner` holds back to the queue (its thread died; the server restarts it); returns how many. */
  releaseJobsOf(owner: string, now?: Date): Promise<number>;
  /**
   * Gives every running job back to the queue, whoever held it; returns how many. Only for start-up of the one server
   * holding the database (server lease): no worker of an earlier process is alive, so their leases need not expire.
   */
  requeueRunningJobs(now?: Date): Promise<number>;
  getJob(id: string): Promise<Job | null>;
  getJobByKey(key: string): Promise<Job | null>;
  /** Jobs in creation order, optionally only of some kinds and statuses. */
  listJobs(filter?: { kinds?: readonly string[]; statuses?: readonly JobStatus[] }): Promise<Job[]>;
}
