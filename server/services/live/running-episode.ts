import { AppError, describeError } from '../../../shared/errors.ts';
import type { StreamingTurn } from '../../../shared/protocol/live.ts';
import type { BenchmarkRecord } from '../../../shared/schemas/benchmark.ts';
import type { EpisodeEvent } from '../../../shared/schemas/episode.ts';
import { EpisodeAbortedError, EpisodeFailure } from '../../engine/episode-errors.ts';
import { EpisodeLog } from '../../engine/episode-log.ts';
import { runEpisode, type EpisodeParticipants, type EpisodeSpec } from '../../engine/episode-runner.ts';
import type { LiveEpisodeInfo } from '../../storage/live-storage.ts';
import { actorView } from './actor-view.ts';
import { IdleTimer } from './idle-timer.ts';
import { PlayLeaseRenewal } from './play-lease-renewal.ts';
import { StreamedTurn } from './streamed-turn.ts';
import type { Logger } from '../logger.ts';
import type { LiveDeps, LivePlaySettings } from './live-types.ts';
import type { AwaitedReply, PersonSeat } from './person-seat.ts';
import { ReplyAcks } from './reply-acks.ts';
import { storeGroupRetrying, type StoredGroup } from './event-group-store.ts';
import { STORAGE_RETRY_WINDOW_MS } from './storage-retry.ts';

/** Why an episode ends without its engine finishing it: storage gave up, or a researcher ended the session. */
export interface EndRequest {
  code: 'storage_failed' | 'ended_by_researcher';
  reason: string;
}

/**
 * One live episode in this process: the engine running it, the order in which its events are stored and then
 * announced, the model turn being streamed, and the person's idle timer.
 */
export class RunningEpisode {
  readonly controller = new AbortController();
  readonly log: EpisodeLog;
  /** The service's logger bound to this episode (studyId, episodeId). */
  readonly logger: Logger;
  /** The model turn being streamed (streamed-turn.ts). */
  private readonly turn: StreamedTurn;
  private persisted: Promise<void> = Promise.resolve();
  private lastVisibleSeq: number;
  private readonly acks = new ReplyAcks();
  private readonly idle: IdleTimer;
  /** Set once an event could not be stored: later events are not stored either, so the stored log has no gap. */
  private halted = false;
  /** Events appended while the group before them is being stored: stored together next, in one transaction. */
  private waiting: EpisodeEvent[] = [];
  /** Another node owns the episode now (this one stalled past its lease): nothing more is stored or run here. */
  private lostHere = false;
  /** An event is waiting for storage to work again: the conversation is paused (the actor has been told). */
  private delayed = false;
  /** The seq of the last event stored; events after it exist only in memory. */
  lastStoredSeq: number;
  /** Set when the episode is to end without its engine: the engine is stopped and the reason is stored for it. */
  endRequest: EndRequest | null = null;
  /** When the actor's play lease is renewed (play-lease-renewal.ts). */
  readonly playLease: PlayLeaseRenewal;
  /** Background work (twin replies) the episode waits for before it is closed. */
  readonly background = new Set<Promise<void>>();
  done: Promise<void> = Promise.resolve();
  /** Resolves once the episode is over here and its end is handled: summary stored, or its failure stored. */
  settled: Promise<void> = Promise.resolve();

  constructor(
    readonly info: LiveEpisodeInfo,
    readonly record: BenchmarkRecord,
    readonly settings: LivePlaySettings,
    readonly seat: PersonSeat,
    private readonly deps: LiveDeps,
    /** This node's id: every write is stored only while the episode's owner row names it (fencing). */
    private readonly owner: string,
    existing: readonly EpisodeEvent[],
  ) {
    this.lastVisibleSeq = -1;
    this.lastStoredSeq = existing.at(-1)?.seq ?? -1;
    this.playLease = new PlayLeaseRenewal(existing.length === 0);
    this.logger = deps.log.child({ studyId: info.studyId, episodeId: info.summary.id });
    this.turn = new StreamedTurn(info.summary.id, deps, existing);
    this.idle = new IdleTimer(
      settings,
      (left) => deps.broadcast.idleWarning(this.id, left),
      (s) => seat.timeOut(s),
    );
    for (const e of existing) if (actorView(e, -1)) this.lastVisibleSeq = e.seq;
    this.log = new EpisodeLog(
      (event) => this.store(event),
      () => new Date(),
      existing,
    );
  }

  get id(): string {
    return this.info.summary.id;
  }

  /** The model turn being streamed: what browsers have been sent of it so far. */
  get streaming(): StreamingTurn | null {
    return this.turn.streaming;
  }

  /** Saving is delayed: the conversation waits for storage (requests are answered `unavailable` meanwhile). */
  get storageDelayed(): boolean {
    return this.delayed;
  }

  /** The seq of the last event the actor was sent (the prevSeq of the next one). */
  get lastActorSeq(): number {
    return this.lastVisibleSeq;
  }

  /** Another node took the episode over: the engine stops here, and the actor is told to reconnect (to its owner). */
  get lost(): boolean {
    return this.lostHere;
  }

  /**
   * Another node owns the episode now (storage refused a write as not the owner's, or the lease renewal no longer
   * names it): nothing more is stored here, the engine stops, and replies waiting for their ack get the retryable
   * `episode_elsewhere`, so the browser reconnects (to the owner) and resends them from its outbox.
   */
  lose(): void {
    if (this.lostHere) return;
    this.lostHere = true;
    this.halted = true;
    this.logger.warn('another server took this live episode over (this one stalled past its lease): stopping it here');
    this.acks.failAll(
      new AppError('episode_elsewhere', 'another server runs this conversation; reconnect to continue'),
    );
    this.controller.abort();
  }

  /**
   * Stores events in order, and only then announces each: the person's ack, their view, the watchers' view. The events
   * appended while the previous group is being stored (a model's message and the labels beside it, a reply and the
   * events it starts) wait for it and go together, in one transaction: on PostgreSQL every transaction is a round trip
   * to another process, and each event was one of its own. An event that
   * cannot be stored is retried (storeRetrying); if storage stays broken the episode ends rather than run on with
   * events nobody can recover.
   */
  private store(event: EpisodeEvent): void {
    this.turn.appended(event);
    this.waiting.push(event);
    // The first event of a group schedules it; the ones after join it until it starts.
    if (this.waiting.length === 1) this.persisted = this.persisted.then(() => this.storeWaiting());
  }

  private async storeWaiting(): Promise<void> {
    const group = this.waiting;
    this.waiting = [];
    if (this.halted || group.length === 0) return;
    const stored = await this.storeRetrying(group);
    if (stored !== 'stored') {
      this.halted = true;
      if (stored === 'not_owner') this.lose();
      else if (stored.gaveUp) this.giveUp(stored.gaveUp.error, group[0], stored.gaveUp.windowMs);
      return;
    }
    for (const event of group) this.announce(event);
  }

  private announce(event: EpisodeEvent): void {
    this.lastStoredSeq = event.seq;
    this.turn.announced(event);
    const view = actorView(event, this.lastVisibleSeq);
    if (view) {
      this.lastVisibleSeq = view.seq;
      this.deps.broadcast.toActor(this.id, view);
    }
    this.deps.broadcast.toWatchers(this.id, event);
    if (event.type === 'message' && event.clientMessageId) {
      this.acks.stored(event.clientMessageId, event.seq);
    }
  }

  /**
   * Appends a group as this episode's owner (event-group-store.ts). Not stored when another node owns the episode
   * (then lose), storage stayed broken for the retry window (then giveUp), or the episode was stopped meanwhile.
   */
  private storeRetrying(group: readonly EpisodeEvent[]): Promise<StoredGroup> {
    return storeGroupRetrying(group, {
      storage: this.deps.storage.live,
      episodeId: this.id,
      owner: this.owner,
      windowMs: this.deps.storageRetryWindowMs ?? STORAGE_RETRY_WINDOW_MS,
      signal: this.controller.signal,
      logger: this.logger,
      delayed: (delayed) => {
        this.delayed = delayed;
        this.deps.broadcast.storageNotice(this.id, delayed ? 'delayed' : 'resumed');
      },
    });
  }

  /** Storage stayed broken for the whole window: the engine stops and the episode ends with `storage_failed`. */
  private giveUp(error: unknown, event: EpisodeEvent | undefined, windowMs: number): void {
    this.endRequest = {
      code: 'storage_failed',
      reason: `the conversation could not be saved for ${Math.round(windowMs / 1000)} s: ${describeError(error)}`,
    };
    this.logger.error({ err: error, seq: event?.seq, type: event?.type }, 'storage kept failing; the episode ends');
    this.deps.broadcast.storageNotice(this.id, 'failed');
    this.controller.abort();
  }

  /** Stops the engine so that the episode ends with this reason (stored by LiveEpisodes once the engine is done). */
  requestEnd(request: EndRequest): void {
    this.endRequest ??= request;
    this.controller.abort();
  }

  /** Resolves once every event appended so far is stored. */
  flushed(): Promise<void> {
    return this.persisted;
  }

  /** Waits for the stored seq of the reply with this client id (delivered to the engine by the caller). */
  awaitStored(clientMessageId: string): Promise<number> {
    return this.acks.wait(clientMessageId);
  }

  hasPendingAck(clientMessageId: string): boolean {
    return this.acks.has(clientMessageId);
  }

  /** The stored seq of the reply with this client id, from the log in memory (it holds every stored event). */
  storedSeqOf(clientMessageId: string): number | null {
    const e = this.log.events.findLast((x) => x.type === 'message' && x.clientMessageId === clientMessageId);
    return e && e.seq <= this.lastStoredSeq ? e.seq : null;
  }

  /** The person's idle timer (idle-timer.ts), started while their reply is awaited. */
  startIdleTimer(awaited: AwaitedReply): void {
    this.idle.start();
    void awaited;
  }

  clearIdleTimer(): void {
    this.idle.clear();
  }

  /** Runs (or continues) the engine; resolves with the outcome once the episode has ended and everything is stored. */
  run(spec: EpisodeSpec, participants: EpisodeParticipants): Promise<'completed' | 'failed' | 'aborted'> {
    const outcome = (async (): Promise<'completed' | 'failed' | 'aborted'> => {
      try {
        await runEpisode(
          spec,
          {
            ...participants,
            onAssistantChunk: (d) => this.turn.onChunk(d),
            onAssistantRestart: () => this.turn.onRestart(),
          },
          this.log,
          this.controller.signal,
        );
        return 'completed';
      } catch (error) {
        if (error instanceof EpisodeAbortedError) return 'aborted';
        if (error instanceof EpisodeFailure) return 'failed';
        throw error;
      } finally {
        this.turn.discard();
        this.clearIdleTimer();
        await Promise.allSettled([...this.background]);
        await this.persisted;
        this.acks.failAll(
          this.lostHere
            ? new AppError('episode_elsewhere', 'another server runs this conversation; reconnect to continue')
            : new AppError('episode_closed', 'this episode has ended'),
        );
      }
    })();
    this.done = outcome.then(
      () => undefined,
      () => undefined,
    );
    return outcome;
  }
}
