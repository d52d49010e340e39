/**
 * The server processes ("nodes") serving one database and which of them runs each live episode (migration 019). On
 * PostgreSQL several nodes serve one database; on SQLite there is one (the server lease), and it still records itself
 * as the owner of its episodes, so both engines keep the same rows.
 */
export interface ServerNode {
  /** Unique per server process start. */
  node: string;
  /** Host name of the machine the node runs on (its pid means nothing elsewhere). */
  host: string;
  pid: number;
  startedAt: string;
  /** ISO time after which the node counts as dead. */
  expiresAt: string;
}

/** A claim of a live episode: taken, or refused because another node's lease on it has not expired. */
export type EpisodeClaim = { claimed: true } | { claimed: false; owner: string; expiresAt: string };

export interface NodeStorage {
  /** Records the node, or extends its lease (one statement, also after its row expired or was removed). */
  heartbeat(node: Omit<ServerNode, 'expiresAt'>, now: Date, ttlMs: number): Promise<void>;
  /** Removes the node and its claims on live episodes (clean shutdown): other nodes may take them over at once. */
  leave(node: string): Promise<void>;
  /**
   * Removes the nodes whose lease expired at or before `expiredBefore` (dead long ago: the caller picks a time well
   * before now, so a live node, which renews every third of its lease, is never one), and the live-episode leases
   * that expired by then and belong to no node live at `now`. One transaction; returns the removed nodes' ids.
   */
  prune(now: Date, expiredBefore: Date): Promise<string[]>;
  /** Nodes whose lease has not expired at `now`, oldest first. */
  liveNodes(now: Date): Promise<ServerNode[]>;
  /**
   * Makes `node` the owner of the live episode until now + ttlMs, in one statement, unless another node's lease on it
   * has not expired at `now` (then that owner is returned). `force` takes it regardless: the one server of an SQLite
   * database knows the previous owner was an earlier process of its own.
   */
  claimEpisode(episodeId: string, node: string, now: Date, ttlMs: number, force?: boolean): Promise<EpisodeClaim>;
  /** Extends every live-episode lease `node` holds, in one statement; returns the episodes it still owns. */
  renewEpisodes(node: string, now: Date, ttlMs: number): Promise<string[]>;
  /** Gives one episode up (it ended here); nothing if another node owns it. */
  releaseEpisode(episodeId: string, node: string): Promise<void>;
  /** The episode's owner and lease expiry, if any node has claimed it. */
  ownerOf(episodeId: string): Promise<{ node: string; expiresAt: string } | null>;
}
