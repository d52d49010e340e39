import type { ServerLeaseHolder } from '../server-lease-storage.ts';

// The `server_lease` row (migration 008) and its mapper, for both engines: the same columns, times ISO text.

export interface LeaseRow {
  holder: string;
  host: string;
  pid: number;
  expires_at: string;
}

export const toHolder = (r: LeaseRow): ServerLeaseHolder => ({
  holder: r.holder,
  host: r.host,
  pid: r.pid,
  expiresAt: r.expires_at,
});

/**
 * The holder that keeps `claim` from taking the lease, or null when it may: no lease, its own, lapsed, or one the
 * caller may take over. Times are ISO text of one length, so text order is time order.
 */
export function blockingHolder(
  row: LeaseRow | undefined,
  claim: Pick<ServerLeaseHolder, 'holder'>,
  now: Date,
  canTakeOver: (current: ServerLeaseHolder) => boolean,
): ServerLeaseHolder | null {
  if (!row || row.holder === claim.holder || row.expires_at <= now.toISOString()) return null;
  const current = toHolder(row);
  return canTakeOver(current) ? null : current;
}
