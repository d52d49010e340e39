import type Database from 'better-sqlite3';
import type { EpisodeClaim, NodeStorage, ServerNode } from '../node-storage.ts';
import { leaseTime as iso, toNode, type NodeRow } from '../rows/node-rows.ts';
import { cachedStatement } from './statement-cache.ts';

/** Nodes and live-episode owners on SQLite (node-storage.ts; migration 019). Each method is one statement. */
export class SqliteNodeStorage implements NodeStorage {
  constructor(private readonly db: Database.Database) {}

  async heartbeat(node: Omit<ServerNode, 'expiresAt'>, now: Date, ttlMs: number): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO server_nodes (node, host, pid, started_at, expires_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (node) DO UPDATE SET expires_at = excluded.expires_at`,
      )
      .run(node.node, node.host, node.pid, node.startedAt, iso(now, ttlMs));
  }

  async leave(node: string): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM live_episode_owners WHERE node = ?').run(node);
      this.db.prepare('DELETE FROM server_nodes WHERE node = ?').run(node);
    })();
  }

  async prune(now: Date, expiredBefore: Date): Promise<string[]> {
    return this.db.transaction(() => {
      this.db
        .prepare(
          `DELETE FROM live_episode_owners WHERE expires_at <= ?
           AND node NOT IN (SELECT node FROM server_nodes WHERE expires_at > ?)`,
        )
        .run(iso(expiredBefore), iso(now));
      const gone = this.db
        .prepare('DELETE FROM server_nodes WHERE expires_at <= ? RETURNING node')
        .all(iso(expiredBefore)) as { node: string }[];
      return gone.map((r) => r.node).sort();
    })();
  }

  async liveNodes(now: Date): Promise<ServerNode[]> {
    const rows = this.db
      .prepare('SELECT * FROM server_nodes WHERE expires_at > ? ORDER BY started_at, node')
      .all(iso(now)) as NodeRow[];
    return rows.map(toNode);
  }

  async claimEpisode(episodeId: string, node: string, now: Date, ttlMs: number, force = false): Promise<EpisodeClaim> {
    // One statement: of two nodes claiming an expired episode at once, the second finds the first's fresh lease.
    // Prepared once (as the episode's release): every live episode's start and end runs them on the live loop.
    const taken = cachedStatement(
      this.db,
      `INSERT INTO live_episode_owners (episode_id, node, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (episode_id) DO UPDATE SET node = excluded.node, expires_at = excluded.expires_at
         WHERE live_episode_owners.node = excluded.node OR live_episode_owners.expires_at <= ? OR ?
         RETURNING node`,
    ).get(episodeId, node, iso(now, ttlMs), iso(now), force ? 1 : 0);
    if (taken) return { claimed: true };
    const owner = await this.ownerOf(episodeId);
    // Gone between the two statements (released): claim again, now without a competitor.
    if (!owner) return this.claimEpisode(episodeId, node, now, ttlMs, force);
    return { claimed: false, owner: owner.node, expiresAt: owner.expiresAt };
  }

  async renewEpisodes(node: string, now: Date, ttlMs: number): Promise<string[]> {
    const rows = cachedStatement(
      this.db,
      'UPDATE live_episode_owners SET expires_at = ? WHERE node = ? RETURNING episode_id',
    ).all(iso(now, ttlMs), node) as { episode_id: string }[];
    return rows.map((r) => r.episode_id);
  }

  async releaseEpisode(episodeId: string, node: string): Promise<void> {
    cachedStatement(this.db, 'DELETE FROM live_episode_owners WHERE episode_id = ? AND node = ?').run(episodeId, node);
  }

  async ownerOf(episodeId: string): Promise<{ node: string; expiresAt: string } | null> {
    const row = cachedStatement(this.db, 'SELECT node, expires_at FROM live_episode_owners WHERE episode_id = ?').get(
      episodeId,
    ) as { node: string; expires_at: string } | undefined;
    return row ? { node: row.node, expiresAt: row.expires_at } : null;
  }
}
