import { awaitingTurnOf } from '../store/play-log.ts';
import type { PendingReply } from '../store/session-memory.ts';
import type { LiveSyncDeps, LiveSyncState } from './live-sync-state.ts';
import { ackMessage, answersLater, requestOn } from './socket.ts';

/** How the outbox reads and changes LiveSync's state (the draft is kept in the tab's memory as it changes). */
export interface OutboxHost {
  state: () => LiveSyncState;
  update: (patch: Partial<LiveSyncState>) => void;
  setDraft: (text: string) => void;
}

/** crypto.randomUUID exists only on https and localhost; a lab server on plain http still needs unique ids. */
function randomClientMessageId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The actor's replies from the moment they press Send until the server acknowledges them: kept in the tab's memory
 * (a reload sends them again), sent again after a drop with the same clientMessageId (the server stores it once), and
 * dropped as soon as the log shows them stored, even if their ack never arrived.
 */
export class LiveOutbox {
  private readonly host: OutboxHost;
  private readonly deps: LiveSyncDeps;
  /** Replies emitted and not answered yet: a flush meanwhile must not send them a second time. */
  private readonly inFlight = new Set<string>();

  constructor(host: OutboxHost, deps: LiveSyncDeps) {
    this.host = host;
    this.deps = deps;
  }

  /** Sends the draft as the reply to the question waiting; false when there is nothing to send or no question. */
  send(): boolean {
    const { episode, draft, outbox, playLog } = this.host.state();
    const text = draft.trim();
    const turn = awaitingTurnOf(playLog.events);
    if (!episode || text === '' || turn === null || outbox.some((r) => r.turn === turn)) return false;
    const id = (this.deps.newClientMessageId ?? randomClientMessageId)();
    const reply: PendingReply = { clientMessageId: id, episodeId: episode.episodeId, turn, text };
    // Kept before it is sent: a reload or a drop between here and the ack resends the same id, stored once.
    this.keep([...outbox, reply]);
    this.host.setDraft('');
    this.host.update({ replyError: null, idleWarning: null });
    this.flush();
    return true;
  }

  /** Sends every reply not on its way already; offline, they wait for the next connection. */
  flush(): void {
    if (!this.deps.socket.connected) return;
    for (const { clientMessageId, episodeId, text } of this.host.state().outbox) {
      if (this.inFlight.has(clientMessageId)) continue;
      this.inFlight.add(clientMessageId);
      void requestOn(this.deps.socket, 'episode:reply', { episodeId, clientMessageId, text }).then((r) => {
        this.inFlight.delete(clientMessageId);
        if (r.ok) return this.remove(clientMessageId);
        // No answer: the reply stays in the outbox and goes again on the next connection.
        // Saving is delayed on the server (`unavailable`): it waits too, and goes again once saving works. Another
        // node runs the episode (`episode_elsewhere`): it goes again on the new connection (socket.ts reconnects).
        if (answersLater(r.error)) return;
        // Refused for good (too long, not awaited, episode over): give the words back to the actor.
        this.remove(clientMessageId);
        if (this.host.state().draft.trim() === '') this.host.setDraft(text);
        this.host.update({ replyError: ackMessage(r) });
      });
    }
  }

  /** The episode's replies and draft as this tab left them (before a reload). */
  restore(episodeId: string): void {
    const { memory } = this.deps;
    this.host.update({ outbox: memory.outbox(episodeId), draft: memory.draft(episodeId), pendingTags: {} });
    this.dropStored();
  }

  /** A reply or tag seen in the log was stored, whether or not its ack reached this tab. */
  dropStored(): void {
    const { playLog, outbox, pendingTags } = this.host.state();
    const stored = new Set(
      playLog.events.flatMap((e) => (e.type === 'message' && e.clientMessageId ? [e.clientMessageId] : [])),
    );
    const left = outbox.filter((r) => !stored.has(r.clientMessageId));
    if (left.length !== outbox.length) this.keep(left);
    const tagged = new Set(playLog.events.flatMap((e) => (e.type === 'question_tagged' ? [e.turn] : [])));
    if (Object.keys(pendingTags).some((t) => tagged.has(Number(t)))) {
      this.host.update({
        pendingTags: Object.fromEntries(Object.entries(pendingTags).filter(([t]) => !tagged.has(Number(t)))),
      });
    }
  }

  private keep(outbox: PendingReply[]): void {
    const episode = this.host.state().episode;
    if (episode) this.deps.memory.saveOutbox(episode.episodeId, outbox);
    this.host.update({ outbox });
  }

  private remove(clientMessageId: string): void {
    this.keep(this.host.state().outbox.filter((r) => r.clientMessageId !== clientMessageId));
  }
}
