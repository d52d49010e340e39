import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { holdNodeLease, PRUNE_AFTER_LEASES } from '../../server/services/node-lease.ts';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import { tempDir } from '../support/temp-files.ts';

const dir = tempDir('prefdisco-node-prune-');
const TTL_MS = 3_000;
const open: SqliteStorage[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

describe('a node lease prunes nodes that died long ago', () => {
  it('at start-up: a node expired over ten leases ago goes, one expired lately stays, and so does this node', async () => {
    const storage = SqliteStorage.open({ file: join(dir, 'prune.sqlite') });
    open.push(storage);
    const ago = (ms: number): Date => new Date(Date.now() - ms);
    const other = (node: string) => ({
      node,
      host: 'another-machine',
      pid: 1,
      startedAt: ago(3_600_000).toISOString(),
    });
    // Heartbeats in the past: 'ghost' expired PRUNE_AFTER_LEASES + 1 leases ago (its episode leases: the contract suite), 'lately' one lease ago.
    await storage.nodes.heartbeat(other('ghost'), ago((PRUNE_AFTER_LEASES + 2) * TTL_MS), TTL_MS);
    await storage.nodes.heartbeat(other('lately'), ago(2 * TTL_MS), TTL_MS);

    const lease = await holdNodeLease(storage.nodes, { ttlMs: TTL_MS });
    try {
      const nodes = await storage.nodes.liveNodes(ago(100 * TTL_MS));
      expect(nodes.map((n) => n.node).sort()).toEqual([lease.node, 'lately'].sort());
    } finally {
      await lease.release();
    }
    expect((await storage.nodes.liveNodes(ago(100 * TTL_MS))).map((n) => n.node)).toEqual(['lately']);
  });
});
