import type { ServerNode } from '../node-storage.ts';

// The node leases' rows (migration 019) and their mapper, for both engines: the same columns and types.

export interface NodeRow {
  node: string;
  host: string;
  pid: number;
  started_at: string;
  expires_at: string;
}

export const toNode = (r: NodeRow): ServerNode => ({
  node: r.node,
  host: r.host,
  pid: r.pid,
  startedAt: r.started_at,
  expiresAt: r.expires_at,
});

/** A lease time as stored: ISO text, `plusMs` after `now`. */
export const leaseTime = (now: Date, plusMs = 0): string => new Date(now.getTime() + plusMs).toISOString();
