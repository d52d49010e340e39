import type { NodePresence } from '../../../shared/protocol/cross-node.ts';
import type { ParticipantPresence } from '../../../shared/schemas/api-research.ts';

/**
 * No request from a connected participant for this long reads as idle. The browser reports no keystrokes, so an
 * actor reading a long answer or typing a long reply looks idle too; two minutes is longer than a model's turn and
 * most replies, and the episode's own idle timeout (settings) stays the rule that ends a session.
 */
export const DEFAULT_IDLE_AFTER_MS = 2 * 60 * 1000;

interface Entry {
  sockets: number;
  /** When the current online stretch began: a first socket, or input after an idle spell. */
  activeSince: Date;
  lastInputAt: Date;
  disconnectedAt: Date | null;
}

/** What the live monitor reads; the routes depend on this, not on the tracker. */
export interface PresenceReader {
  /** Each participant's presence now (one answer per id asked). */
  presenceOf(participantIds: readonly string[]): Promise<Map<string, ParticipantPresence>>;
}

/**
 * Which participants have a browser connected right now and when they last sent anything, kept in this process's
 * memory only: presence is about the present, so after a restart everyone is "disconnected, since unknown" until
 * their browser reconnects (it does so on its own within seconds). With several nodes each tracks its own sockets,
 * and the reader asks the others for theirs (server/realtime/presence-handlers.ts) and combines them (`combine`).
 */
export class PresenceTracker implements PresenceReader {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: { idleAfterMs?: number; now?: () => Date } = {}) {}

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  get idleAfterMs(): number {
    return this.options.idleAfterMs ?? DEFAULT_IDLE_AFTER_MS;
  }

  /** A socket of this participant opened (a recovered socket counts as a new one; its old one closed first). */
  connected(participantId: string): void {
    const now = this.now();
    const entry = this.entries.get(participantId);
    if (!entry) {
      this.entries.set(participantId, { sockets: 1, activeSince: now, lastInputAt: now, disconnectedAt: null });
      return;
    }
    if (entry.sockets === 0) {
      entry.activeSince = now;
      entry.disconnectedAt = null;
    }
    entry.sockets += 1;
    entry.lastInputAt = now;
  }

  /** The participant's browser sent a request (a reply, a tag, a rating, a resync). */
  input(participantId: string): void {
    const entry = this.entries.get(participantId);
    if (!entry || entry.sockets === 0) return;
    const now = this.now();
    if (now.getTime() - entry.lastInputAt.getTime() > this.idleAfterMs) entry.activeSince = now;
    entry.lastInputAt = now;
  }

  disconnected(participantId: string): void {
    const entry = this.entries.get(participantId);
    if (!entry || entry.sockets === 0) return;
    entry.sockets -= 1;
    if (entry.sockets === 0) entry.disconnectedAt = this.now();
  }

  /** This process's records of these participants, as another node receives them; none for one never seen here. */
  records(participantIds: readonly string[]): NodePresence[] {
    const found: NodePresence[] = [];
    for (const participantId of participantIds) {
      const entry = this.entries.get(participantId);
      if (!entry) continue;
      found.push({
        participantId,
        sockets: entry.sockets,
        activeSince: entry.activeSince.toISOString(),
        lastInputAt: entry.lastInputAt.toISOString(),
        disconnectedAt: entry.disconnectedAt?.toISOString() ?? null,
      });
    }
    return found;
  }

  of(participantId: string): ParticipantPresence {
    return this.combine(this.records([participantId]));
  }

  async presenceOf(participantIds: readonly string[]): Promise<Map<string, ParticipantPresence>> {
    return this.combineAll(participantIds, this.records(participantIds));
  }

  /** One presence per participant asked, from the records of every node (this one's included). */
  combineAll(participantIds: readonly string[], records: readonly NodePresence[]): Map<string, ParticipantPresence> {
    const byParticipant = new Map<string, NodePresence[]>();
    for (const record of records) {
      const list = byParticipant.get(record.participantId);
      if (list) list.push(record);
      else byParticipant.set(record.participantId, [record]);
    }
    return new Map(participantIds.map((id) => [id, this.combine(byParticipant.get(id) ?? [])]));
  }

  /**
   * One participant's presence from each node's record of them: connected if a socket is open on any node; the last
   * input is the latest anywhere; online since the earliest start of a stretch still active on a node with an open
   * socket (none: the input came through a socket since closed, and the stretch counts from that input); idle and
   * disconnected as on one node, from the latest input and the last close anywhere. With one record this is that
   * node's own view.
   */
  combine(records: readonly NodePresence[]): ParticipantPresence {
    if (records.length === 0) return { state: 'disconnected', since: null, lastInputAt: null };
    const nowMs = this.now().getTime();
    const lastInputMs = Math.max(...records.map((r) => Date.parse(r.lastInputAt)));
    const lastInputAt = new Date(lastInputMs).toISOString();
    const open = records.filter((r) => r.sockets > 0);
    if (open.length === 0) {
      const closed = records.map((r) => r.disconnectedAt).filter((at): at is string => at !== null);
      const since = closed.length > 0 ? new Date(Math.max(...closed.map((at) => Date.parse(at)))).toISOString() : null;
      return { state: 'disconnected', since, lastInputAt };
    }
    if (nowMs - lastInputMs > this.idleAfterMs) {
      return { state: 'idle', since: new Date(lastInputMs + this.idleAfterMs).toISOString(), lastInputAt };
    }
    // A node's stretch whose own last input is older than the idle limit ended there; input elsewhere began a new one.
    const active = open.filter((r) => nowMs - Date.parse(r.lastInputAt) <= this.idleAfterMs);
    const starts = active.map((r) => Date.parse(r.activeSince));
    const since = starts.length > 0 ? Math.min(...starts) : lastInputMs;
    return { state: 'online', since: new Date(since).toISOString(), lastInputAt };
  }
}
