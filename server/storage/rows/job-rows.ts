import type { Job, JobStatus } from '../job-storage.ts';

// The `jobs` row (migration 014) and its mapper, for both engines: the same columns, times ISO text, the payload JSON
// text and `cancel_requested` an integer on both.

export interface JobRow {
  id: string;
  kind: string;
  key: string;
  payload_json: string;
  status: JobStatus;
  owner: string | null;
  lease_expires_at: string | null;
  attempts: number;
  cancel_requested: number;
  error: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export const toJob = (r: JobRow): Job => ({
  id: r.id,
  kind: r.kind,
  key: r.key,
  payload: JSON.parse(r.payload_json) as unknown,
  status: r.status,
  owner: r.owner,
  leaseExpiresAt: r.lease_expires_at,
  attempts: r.attempts,
  cancelRequested: r.cancel_requested === 1,
  error: r.error,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  finishedAt: r.finished_at,
});
