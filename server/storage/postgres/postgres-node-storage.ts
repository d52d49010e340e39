import type { EpisodeClaim, NodeStorage, ServerNode } from '../node-storage.ts';
import { leaseTime as iso, toNode, type NodeRow } from '../rows/node-rows.ts';
import type { PgDatabase } from './pg-database.ts';

/**
 * Nodes and live-episode owners on PostgreSQL (sqlite/sqlite-node-storage.ts; migration 019). Text times compare
 * `COLLATE "C"` (byte order, as SQLite compares).
 */
export class PostgresNodeStorage implements NodeStorage {
  constructor(private readonly db: PgDatabase) {}

  async heartbeat(node: Omit<ServerNode, 'expiresAt'>, now: Date, ttlMs: number): Promise<void> {
    await this.db.rows(
      `INSERT INTO server_nodes (node, host, pid, started_at, expires_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (node) DO UPDATE SET expires_at = excluded.expires_at`,
      [node.node, node.host, node.pid, node.startedAt, iso(now, ttlMs)],
    );
  }

  async leave(node: string): Promise<void> {
    await this.db.transaction(async (client) => {
      await client.query('DELETE FROM live_episode_owners WHERE node = $1', [node]);
      await client.query('DELETE FROM server_nodes WHERE node = $1', [node]);
    });
  }

  async prune(now: Date, expiredBefore: Date): Promise<string[]> {
    return this.db.transaction(async (client) => {
      await client.query(
        `DELETE FROM live_episode_owners WHERE expires_at COLLATE "C" <= $1
         AND node NOT IN (SELECT node FROM server_nodes WHERE expires_at COLLATE "C" > $2)`,
        [iso(expiredBefore), iso(now)],
      );
      const gone = await client.query<{ node: string }>(
        'DELETE FROM server_nodes WHERE expires_at COLLATE "C" <= $1 RETURNING node',
        [iso(expiredBefore)],
      );
      return gone.rows.map((r) => r.node).sort();
    });
  }

  async liveNodes(now: Date): Promise<ServerNode[]> {
    const rows = await this.db.rows<NodeRow>(
      'SELECT * FROM server_nodes WHERE expires_at COLLATE "C" > $1 ORDER BY started_at COLLATE "C", node COLLATE "C"',
      [iso(now)],
    );
    return rows.map(toNode);
  }

  async claimEpisode(episodeId: string, node: string, now: Date, ttlMs: number, force = false): Promise<EpisodeClaim> {
    // One statement: ON CONFLICT locks the row, so of two nodes claiming an expired episode at once the second sees
    // the first's fresh lease in its WHERE and gets no row back.
    const taken = await this.db.rows<{ node: string }>(
      `INSERT INTO live_episode_owners (episode_id, node, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (episode_id) DO UPDATE SET node = excluded.node, expires_at = excluded.expires_at
       WHERE live_episode_owners.node = excluded.node OR live_episode_owners.expires_at COLLATE "C" <= $4 OR $5
       RETURNING node`,
      [episodeId, node, iso(now, ttlMs), iso(now), force],
    );
    if (taken.length > 0) return { claimed: true };
    const owner = await this.ownerOf(episodeId);
    // Gone between the two statements (released): claim again, now without a competitor.
    if (!owner) return this.claimEpisode(episodeId, node, now, ttlMs, force);
    return { claimed: false, owner: owner.node, expiresAt: owner.expiresAt };
  }

  async renewEpisodes(node: string, now: Date, ttlMs: number): Promise<string[]> {
    const rows = await this.db.rows<{ episode_id: string }>(
      'UPDATE live_episode_owners SET expires_at = $1 WHERE node = $2 RETURNING episode_id',
      [iso(now, ttlMs), node],
    );
    return rows.map((r) => r.episode_id);
  }

  async releaseEpisode(episodeId: string, node: string): Promise<void> {
    await this.db.rows('DELETE FROM live_episode_owners WHERE episode_id = $1 AND node = $2', [episodeId, node]);
  }

  async ownerOf(episodeId: string): Promise<{ node: string; expiresAt: string } | null> {
    const [row] = await this.db.rows<{ node: string; expires_at: string }>(
      'SELECT node, expires_at FROM live_episode_owners WHERE episode_id = $1',
      [episodeId],
    );
    return row ? { node: row.node, expiresAt: row.expires_at } : null;
  }
}
