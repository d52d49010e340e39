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
  of(participantId: string): ParticipantPresence;
}

/**
 * Which participants have a browser connected right now and when they last sent anything, kept in this process's
 * memory only: presence is about the present, so after a restart everyone is "disconnected, since unknown" until
 * their browser reconnects (it does so on its own within seconds).
 */
export class PresenceTracker implements PresenceReader {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: { idleAfterMs?: number; now?: () => Date } = {}) {}

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  private get idleAfterMs(): number {
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
    if (this.isIdle(entry, now)) entry.activeSince = now;
    entry.lastInputAt = now;
  }

  disconnected(participantId: string): void {
    const entry = this.entries.get(participantId);
    if (!entry || entry.sockets === 0) return;
    entry.sockets -= 1;
    if (entry.sockets === 0) entry.disconnectedAt = this.now();
  }

  of(participantId: string): ParticipantPresence {
    const entry = this.entries.get(participantId);
    if (!entry) return { state: 'disconnected', since: null, lastInputAt: null };
    const lastInputAt = entry.lastInputAt.toISOString();
    if (entry.sockets === 0) {
      return { state: 'disconnected', since: entry.disconnectedAt?.toISOString() ?? null, lastInputAt };
    }
    const now = this.now();
    if (this.isIdle(entry, now)) {
      const idleSince = new Date(entry.lastInputAt.getTime() + this.idleAfterMs);
      return { state: 'idle', since: idleSince.toISOString(), lastInputAt };
    }
    return { state: 'online', since: entry.activeSince.toISOString(), lastInputAt };
  }

  private isIdle(entry: Entry, now: Date): boolean {
    return now.getTime() - entry.lastInputAt.getTime() > this.idleAfterMs;
  }
}
