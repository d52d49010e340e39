import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { NodeStorage } from '../storage/node-storage.ts';
import { processAlive, type HeldServerLease } from './server-lease.ts';

export interface HeldNodeLease extends HeldServerLease {
  /** This node's id: the owner name of the live episodes it runs. */
  readonly node: string;
}

/**
 * A node whose lease expired this many lifetimes ago is long dead: its row (and its expired episode leases) are
 * removed. Why so long after the expiry, not at it: an expired node is already treated as dead (its episodes taken
 * over, liveNodes leaves it out), so removing it early gains nothing, while a node that merely stalled past its lease
 * (a paused VM) still finds its row when it renews; and a live node, renewing every third of its lease, is never
 * this far behind.
 */
export const PRUNE_AFTER_LEASES = 10;

/**
 * On PostgreSQL several servers ("nodes") may serve one database: each records its own lease instead of taking the
 * exclusive server lease, and renews it every third of its lifetime. An expired row is a dead node. Release removes the
 * row and the node's live-episode leases, so a clean shutdown hands its episodes to the other nodes at once. Nodes
 * that died without leaving (killed, their machine gone) are pruned at start-up and at each renewal, by whichever
 * node renews: else each restart of a node would leave one row behind for ever.
 */
export async function holdNodeLease(
  nodes: NodeStorage,
  options: { ttlMs: number; onRenewFailed?: (error: unknown) => void },
): Promise<HeldNodeLease> {
  const claim = { node: randomUUID(), host: hostname(), pid: process.pid, startedAt: new Date().toISOString() };
  await nodes.heartbeat(claim, new Date(), options.ttlMs);
  // A node on this machine whose process is gone (killed; or its pid is now this process's, as a restarted container
  // gets) is dead now, not when its lease runs out: removing it frees its live episodes for start-up recovery.
  for (const other of await nodes.liveNodes(new Date())) {
    if (other.node === claim.node || other.host !== claim.host) continue;
    if (other.pid === process.pid || !processAlive(other.pid)) await nodes.leave(other.node);
  }
  const prune = (now: Date): Promise<string[]> =>
    nodes.prune(now, new Date(now.getTime() - PRUNE_AFTER_LEASES * options.ttlMs));
  await prune(new Date());
  const timer = setInterval(
    () => {
      // A busy or failing database: the next renewal tries again before the lease runs out.
      const now = new Date();
      nodes
        .heartbeat(claim, now, options.ttlMs)
        .then(() => prune(now))
        .catch((error: unknown) => options.onRenewFailed?.(error));
    },
    Math.floor(options.ttlMs / 3),
  );
  // Renewal alone must not keep a process alive that has nothing else to do.
  timer.unref();
  return {
    node: claim.node,
    release: async () => {
      clearInterval(timer);
      await nodes.leave(claim.node);
    },
  };
}
