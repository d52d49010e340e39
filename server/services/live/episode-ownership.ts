import { AppError } from '../../../shared/errors.ts';
import type { NodeStorage } from '../../storage/node-storage.ts';
import type { Logger } from '../logger.ts';

/** This process as one node of the servers of its database (node-storage.ts). */
export interface LiveNode {
  /** Unique per server process start (main.ts: the node lease's id). */
  id: string;
  /** How long an episode's lease lasts unrenewed; renewed every third of it. */
  leaseMs: number;
  /**
   * Whether other nodes may serve the same database (PostgreSQL). False: this is the one server (SQLite's server
   * lease), so an episode another owner still leases was left by an earlier process of its own and is taken at once.
   */
  shared: boolean;
}

/**
 * The live episodes this node owns: each claimed in storage before it runs here, renewed together in one statement
 * every third of the lease, released when it ends here. An episode whose renewal no longer names it was taken over by
 * another node (this one stalled past its lease): `onLost` stops it here. The renewal alone comes too late for a node
 * that wakes from a stall with writes under way: every write to the episode (its events, its end) is fenced as well,
 * stored only if the owner row still names this node, checked by storage with the write (LiveEpisodeStorage's
 * `appendOwned` and `finish` with an owner); a refused write stops the episode here the same way.
 */
export class EpisodeOwnership {
  /** Owned episodes, with the renewal round in which each was claimed. */
  private readonly owned = new Map<string, number>();
  private round = 0;
  private timer: NodeJS.Timeout | null = null;
  private renewing = false;
  private readonly releasing = new Set<Promise<void>>();

  constructor(
    private readonly nodes: NodeStorage,
    readonly node: LiveNode,
    private readonly log: Logger,
    private readonly onLost: (episodeId: string) => void,
  ) {}

  /**
   * Makes this node the episode's owner, or throws `episode_elsewhere` while another live node owns it (the client
   * reconnects). On the one server of an SQLite database it always succeeds.
   */
  async claim(episodeId: string): Promise<void> {
    const claim = await this.nodes.claimEpisode(
      episodeId,
      this.node.id,
      new Date(),
      this.node.leaseMs,
      !this.node.shared,
    );
    if (!claim.claimed)
      throw new AppError('episode_elsewhere', 'another server runs this conversation; reconnect to continue');
    this.owned.set(episodeId, this.round);
    this.timer ??= setInterval(() => void this.renew(), Math.max(500, Math.floor(this.node.leaseMs / 3)));
    // Renewal alone must not keep a process alive that has nothing else to do.
    this.timer.unref();
  }

  /** The episode ended (or stopped) here: another node may run it at once. A failure is logged; the lease lapses. */
  release(episodeId: string): void {
    if (!this.owned.delete(episodeId)) return;
    const released = this.nodes
      .releaseEpisode(episodeId, this.node.id)
      .catch((error: unknown) => this.log.warn({ err: error, episodeId }, 'releasing a live episode lease failed'))
      .finally(() => this.releasing.delete(released));
    this.releasing.add(released);
  }

  /** Stops renewing (shutdown) once the releases on their way are stored; storage may close after this. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.releasing]);
  }

  private async renew(): Promise<void> {
    if (this.renewing || this.owned.size === 0) return;
    this.renewing = true;
    // Episodes claimed while this renewal is on its way are not in its answer yet: only earlier ones can be lost.
    const round = ++this.round;
    try {
      const still = new Set(await this.nodes.renewEpisodes(this.node.id, new Date(), this.node.leaseMs));
      for (const [episodeId, claimedIn] of this.owned) {
        if (claimedIn >= round || still.has(episodeId)) continue;
        this.owned.delete(episodeId);
        this.log.warn(
          { episodeId },
          'another server took this live episode over (its lease ran out here): stopping it',
        );
        this.onLost(episodeId);
      }
    } catch (error) {
      // A busy or failing database: the next renewal tries again before the leases run out.
      this.log.warn({ err: error }, 'renewing the live episode leases failed');
    } finally {
      this.renewing = false;
    }
  }
}
