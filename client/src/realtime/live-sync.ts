import type {
  ActorEvent,
  ChunkMessage,
  PlaySnapshot,
  StorageNoticeState,
  StreamingTurn,
} from '../../../shared/protocol/live.ts';
import {
  appendEvents,
  applyChunk,
  applyEvent,
  emptyLog,
  finalAnswerOf,
  withServerStream,
  type QuestionTag,
} from '../store/play-log.ts';
import { failureMessage, infoOf, ratedMessage } from '../store/play-outcome.ts';
import type { EpisodeInfo } from '../store/session-memory.ts';
import { BroadcastHold } from './broadcast-hold.ts';
import { LiveOutbox } from './live-outbox.ts';
import {
  initialLiveSyncState,
  nextTaskPatch,
  resetPatch,
  type LiveSyncDeps,
  type LiveSyncState,
  type SelfRating,
} from './live-sync-state.ts';
import { ackMessage, answersLater, requestOn, type PayloadOf, type RequestName } from './socket.ts';

/**
 * The actor's side of a live episode, as a plain object the store mirrors (docs/live-play.md, "The client"): it
 * starts or resumes the episode, applies broadcasts by seq and chunks by index, closes gaps with `episode:resync`,
 * holds broadcasts back while a snapshot is on its way, and keeps replies in an outbox until the server acknowledges
 * them. It knows nothing of React or zustand; the socket, the tab's memory and the way out are given to it.
 */

export class LiveSync {
  state: LiveSyncState = initialLiveSyncState();
  private readonly deps: LiveSyncDeps;
  // Broadcasts wait while play:start or a resync is in flight (broadcast-hold.ts).
  private readonly hold = new BroadcastHold();
  private resyncing = false;
  private starting: Promise<void> | null = null;
  private readonly outbox: LiveOutbox;

  constructor(deps: LiveSyncDeps) {
    this.deps = deps;
    const host = { state: () => this.state, update: this.update.bind(this), setDraft: this.setDraft.bind(this) };
    this.outbox = new LiveOutbox(host, deps);
  }

  /** Starts or resumes the actor's episode (on the first connection and after "next task"); one at a time. */
  start(): Promise<void> {
    this.starting ??= this.hold
      .holding(() => this.startOrResume())
      .finally(() => {
        this.starting = null;
      });
    return this.starting;
  }

  /** Fetches what was missed since the last applied event and the server's buffer of the streaming turn. */
  async resync(): Promise<void> {
    const episode = this.state.episode;
    if (!episode) return this.start();
    if (this.resyncing) return;
    this.resyncing = true;
    this.hold.hold();
    const r = await this.request('episode:resync', {
      episodeId: episode.episodeId,
      afterSeq: this.state.playLog.lastSeq,
    });
    this.resyncing = false;
    if (this.state.episode?.episodeId !== episode.episodeId) return this.hold.release();
    if (r.ok) {
      this.update({
        playLog: withServerStream(appendEvents(this.state.playLog, r.data.events), r.data.streaming),
        episodeStatus: r.data.status,
      });
      this.settle(r.data.completionCode);
    } else if (!answersLater(r.error)) {
      this.update({ playError: ackMessage(r) });
    }
    // Offline or too slow: the next connection resyncs again. Either way, what arrived meanwhile is applied now.
    this.hold.release();
    this.outbox.flush();
  }

  /** The socket (re)connected. The pages start the episode themselves once connected; the done page must not. */
  onConnected(reconnected: boolean): void {
    const { episode, playPhase } = this.state;
    // After a drop: catch up exactly, then resend replies the server has not acknowledged.
    if (reconnected && episode && playPhase !== 'done') void this.resync();
    // A start that failed for want of a connection is tried again when there is one.
    else if (reconnected && !episode && playPhase === 'error') void this.start();
  }

  onAppended(episodeId: string, event: ActorEvent): void {
    if (this.hold.defer(() => this.onAppended(episodeId, event))) return;
    if (this.state.episode?.episodeId !== episodeId) return;
    const outcome = applyEvent(this.state.playLog, event);
    if (outcome.gap) {
      void this.resync();
      return;
    }
    if (!outcome.changed) return;
    this.update({ playLog: outcome.log });
    if (event.type === 'message' && event.role === 'user') this.update({ idleWarning: null });
    // Failures and ratings carry no completion code; the resync answer does. A rating this tab is sending is settled
    // by its own ack instead, which carries the code.
    if (event.type === 'actor_rated' && this.state.selfRatingBusy) return;
    if (event.type === 'episode_failed' || event.type === 'actor_rated') void this.resync();
    else this.settle(null);
  }

  onChunked(chunk: ChunkMessage): void {
    if (this.hold.defer(() => this.onChunked(chunk))) return;
    if (this.state.episode?.episodeId !== chunk.episodeId) return;
    const outcome = applyChunk(this.state.playLog, chunk);
    if (outcome.gap) void this.resync();
    else if (outcome.log !== this.state.playLog) this.update({ playLog: outcome.log });
  }

  onWarned(episodeId: string, secondsLeft: number): void {
    const now = this.deps.now ?? Date.now;
    if (this.state.episode?.episodeId === episodeId) this.update({ idleWarning: { secondsLeft, receivedAt: now() } });
  }

  /** Saving on the server is delayed (the conversation pauses), works again, or failed (the episode is ending). */
  onStorage(episodeId: string, state: StorageNoticeState): void {
    if (this.state.episode?.episodeId !== episodeId) return;
    this.update({ storageNotice: state === 'resumed' ? null : state });
    // Working again: catch up on what was stored meanwhile, and send the replies that waited.
    if (state === 'resumed') void this.resync();
  }

  setDraft(text: string): void {
    const episode = this.state.episode;
    if (episode) this.deps.memory.saveDraft(episode.episodeId, text);
    this.update({ draft: text });
  }

  /** Sends the draft as the reply to the question waiting; false when there is nothing to send or no question. */
  sendReply(): boolean {
    return this.outbox.send();
  }

  async tag(turn: number, tag: QuestionTag): Promise<void> {
    const episode = this.state.episode;
    if (!episode) return;
    this.update({ pendingTags: { ...this.state.pendingTags, [turn]: tag }, tagError: null });
    const r = await this.request('episode:tag', { episodeId: episode.episodeId, turn, tag });
    if (!r.ok) {
      const { [turn]: _dropped, ...rest } = this.state.pendingTags;
      this.update({ pendingTags: rest, tagError: `The tag was not saved: ${ackMessage(r)}` });
    }
  }

  async submitSelfRating(rating: SelfRating): Promise<void> {
    const { episode } = this.state;
    if (!episode || this.state.selfRatingBusy) return;
    this.update({ selfRatingBusy: true, selfRatingError: null });
    const r = await this.request('episode:rate', { episodeId: episode.episodeId, ...rating });
    this.update({ selfRatingBusy: false });
    if (r.ok) return this.finish(ratedMessage(), r.data.completionCode);
    // Already rated (from another tab, or an ack lost on the way): the resync shows the finished state.
    if (r.error === 'conflict') return this.resync();
    this.update({ selfRatingError: ackMessage(r) });
  }

  dismissErrors(): void {
    this.update({ replyError: null, tagError: null, selfRatingError: null });
  }

  /** The actor moves on: forget this episode here (the page then starts the next one). */
  nextTask(): void {
    const participantId = this.deps.participantId();
    if (participantId !== null) this.deps.memory.saveEpisode(participantId, null);
    this.update(nextTaskPatch());
  }

  /** Another participant joined in this tab: forget everything of the previous one. */
  reset(): void {
    this.update(resetPatch());
  }

  private update(patch: Partial<LiveSyncState>): void {
    this.state = { ...this.state, ...patch };
    this.deps.onChange(this.state);
  }

  private request<E extends RequestName>(event: E, payload: PayloadOf<E>) {
    return requestOn(this.deps.socket, event, payload);
  }

  private async startOrResume(): Promise<void> {
    const participantId = this.deps.participantId();
    if (participantId === null) return;
    const { memory } = this.deps;
    this.update({ playPhase: 'starting', playError: null });
    const cached = memory.episode(participantId);
    if (cached) {
      const r = await this.request('episode:resync', { episodeId: cached.episodeId, afterSeq: -1 });
      // An episode that has ended cannot be resumed with play:start (it would hand out a new one): show it from here.
      if (r.ok && r.data.status !== 'running')
        return this.adopt(cached, r.data.events, r.data.streaming, r.data.status, r.data.completionCode);
      if (!r.ok && answersLater(r.error)) return this.update({ playPhase: 'error', playError: ackMessage(r) });
      if (!r.ok) memory.saveEpisode(participantId, null);
    }
    const r = await this.request('play:start', {});
    if (!r.ok) {
      if (r.error !== 'no_work') return this.update({ playPhase: 'error', playError: ackMessage(r) });
      this.update({ playPhase: 'done' });
      return this.deps.onNoWork();
    }
    const info = infoOf(r.data);
    memory.saveEpisode(participantId, info);
    this.adopt(info, r.data.events, r.data.streaming, r.data.status, r.data.completionCode);
  }

  private adopt(
    info: EpisodeInfo,
    events: ActorEvent[],
    streaming: StreamingTurn | null,
    status: PlaySnapshot['status'],
    code: string | null,
  ): void {
    const log = withServerStream(appendEvents(emptyLog(), events), streaming);
    this.update({
      episode: info,
      playLog: log,
      episodeStatus: status,
      playPhase: 'playing',
      playError: null,
      idleWarning: null,
    });
    this.outbox.restore(info.episodeId);
    this.settle(code);
    this.outbox.flush();
  }

  /** Decides the phase from the log: answered, finished (rated, failed) or still playing. */
  private settle(completionCode: string | null): void {
    const { playLog, episodeStatus } = this.state;
    const events = playLog.events;
    this.outbox.dropStored();
    const failed = events.find((e) => e.type === 'episode_failed');
    const rated = events.some((e) => e.type === 'actor_rated');
    if (rated || failed || (episodeStatus === 'failed' && !finalAnswerOf(events))) {
      const code = failed?.type === 'episode_failed' ? failed.code : undefined;
      return this.finish(rated ? ratedMessage() : failureMessage(code), completionCode);
    }
    this.update({ playPhase: finalAnswerOf(events) ? 'answered' : 'playing' });
  }

  /** The episode is over for the actor: forget it here and say how it ended. */
  private finish(message: string, completionCode: string | null): void {
    const participantId = this.deps.participantId();
    if (participantId !== null) this.deps.memory.saveEpisode(participantId, null);
    this.update({ playPhase: 'done', idleWarning: null, storageNotice: null });
    this.deps.onFinished(message, completionCode);
  }
}
