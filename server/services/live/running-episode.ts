import { AppError, describeError } from '../../../shared/errors.ts';
import type { StreamingTurn } from '../../../shared/protocol/live.ts';
import type { BenchmarkRecord } from '../../../shared/schemas/benchmark.ts';
import type { EpisodeEvent } from '../../../shared/schemas/episode.ts';
import { EpisodeAbortedError, EpisodeFailure } from '../../engine/episode-errors.ts';
import { EpisodeLog } from '../../engine/episode-log.ts';
import { runEpisode, type EpisodeParticipants, type EpisodeSpec } from '../../engine/episode-runner.ts';
import type { LiveEpisodeInfo } from '../../storage/live-storage.ts';
import { actorView } from './actor-view.ts';
import { CHUNK_WINDOW_MS, ChunkCoalescer } from './chunk-coalescer.ts';
import type { Logger } from '../logger.ts';
import type { LiveDeps, LivePlaySettings } from './live-types.ts';
import type { AwaitedReply, PersonSeat } from './person-seat.ts';
import { backoffDelay, pause, STORAGE_RETRY_WINDOW_MS } from './storage-retry.ts';

/** Why an episode ends without its engine finishing it: storage gave up, or a researcher ended the session. */
export interface EndRequest {
  code: 'storage_failed' | 'ended_by_researcher';
  reason: string;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

/** The least time between two renewals of an actor's play lease (a new episode's was just taken). */
export const LEASE_RENEW_INTERVAL_MS = 10_000;

function isAssistantMessage(e: EpisodeEvent): boolean {
  return e.type === 'message' && e.role === 'assistant';
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
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
  private readonly chunks: ChunkCoalescer;
  private persisted: Promise<void> = Promise.resolve();
  private lastVisibleSeq: number;
  private readonly acks = new Map<string, Deferred<number>>();
  private idleTimers: NodeJS.Timeout[] = [];
  /** Set once an event could not be stored: later events are not stored either, so the stored log has no gap. */
  private halted = false;
  /** Assistant messages in the log so far: the turn being streamed, counted as they come rather than per chunk. */
  private assistantMessages: number;
  /** An event is waiting for storage to work again: the conversation is paused (the actor has been told). */
  private delayed = false;
  /** The seq of the last event stored; events after it exist only in memory. */
  lastStoredSeq: number;
  /** Set when the episode is to end without its engine: the engine is stopped and the reason is stored for it. */
  endRequest: EndRequest | null = null;
  /** When the actor's play lease was last taken or renewed (ms since the epoch); null: not known in this process. */
  private leaseRenewedAt: number | null;
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
    existing: readonly EpisodeEvent[],
  ) {
    this.lastVisibleSeq = -1;
    this.lastStoredSeq = existing.at(-1)?.seq ?? -1;
    this.leaseRenewedAt = existing.length === 0 ? Date.now() : null;
    this.logger = deps.log.child({ studyId: info.studyId, episodeId: info.summary.id });
    this.chunks = new ChunkCoalescer(deps.chunkWindowMs ?? CHUNK_WINDOW_MS, (turn, index, delta, restart) =>
      this.deps.broadcast.chunk(this.id, { episodeId: this.id, turn, index, delta, ...(restart ? { restart } : {}) }),
    );
    for (const e of existing) if (actorView(e, -1)) this.lastVisibleSeq = e.seq;
    this.assistantMessages = existing.filter(isAssistantMessage).length;
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
    return this.chunks.streaming;
  }

  /** Saving is delayed: the conversation waits for storage (requests are answered `unavailable` meanwhile). */
  get storageDelayed(): boolean {
    return this.delayed;
  }

  /** The seq of the last event the actor was sent (the prevSeq of the next one). */
  get lastActorSeq(): number {
    return this.lastVisibleSeq;
  }

  /**
   * Stores each event in order, and only then announces it: the person's ack, their view, the watchers' view. An
   * event that cannot be stored is retried (storeRetrying); if storage stays broken the episode ends rather than run
   * on with events nobody can recover.
   */
  private store(event: EpisodeEvent): void {
    // The last pieces of a model turn go out before its whole message can be announced.
    if (isAssistantMessage(event)) {
      this.chunks.flush();
      this.assistantMessages += 1;
    }
    this.persisted = this.persisted.then(async () => {
      if (this.halted) return;
      if (!(await this.storeRetrying(event))) {
        this.halted = true;
        return;
      }
      this.lastStoredSeq = event.seq;
      if (event.type === 'message' && event.role === 'assistant') this.chunks.ended();
      const view = actorView(event, this.lastVisibleSeq);
      if (view) {
        this.lastVisibleSeq = view.seq;
        this.deps.broadcast.toActor(this.id, view);
      }
      this.deps.broadcast.toWatchers(this.id, event);
      if (event.type === 'message' && event.clientMessageId) {
        this.acks.get(event.clientMessageId)?.resolve(event.seq);
        this.acks.delete(event.clientMessageId);
      }
    });
  }

  /**
   * Appends one event, retrying with backoff (0.5 s doubling to 10 s) while storage fails, for at most the retry
   * window. The actor is told when saving is delayed and when it works again. False when the event was not stored:
   * the window passed (the episode then ends with `storage_failed`) or the episode was stopped meanwhile.
   */
  private async storeRetrying(event: EpisodeEvent): Promise<boolean> {
    const window = this.deps.storageRetryWindowMs ?? STORAGE_RETRY_WINDOW_MS;
    let since: number | null = null;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.deps.storage.live.append(this.id, event);
        if (since !== null) {
          this.delayed = false;
          this.logger.info({ seq: event.seq, attempts: attempt + 1 }, 'storing episode events works again');
          this.deps.broadcast.storageNotice(this.id, 'resumed');
        }
        return true;
      } catch (error) {
        if (since === null) {
          since = Date.now();
          this.delayed = true;
          this.logger.warn(
            { err: error, seq: event.seq, type: event.type },
            'storing an episode event failed; retrying',
          );
          this.deps.broadcast.storageNotice(this.id, 'delayed');
        }
        // Stopped meanwhile (shutdown, or a researcher ended it): what is stored is what resumes or is kept.
        if (this.controller.signal.aborted) return false;
        const left = since + window - Date.now();
        if (left <= 0) {
          this.giveUp(error, event, window);
          return false;
        }
        await pause(Math.min(backoffDelay(attempt), left), this.controller.signal);
      }
    }
  }

  /** Storage stayed broken for the whole window: the engine stops and the episode ends with `storage_failed`. */
  private giveUp(error: unknown, event: EpisodeEvent, windowMs: number): void {
    this.endRequest = {
      code: 'storage_failed',
      reason: `the conversation could not be saved for ${Math.round(windowMs / 1000)} s: ${describeError(error)}`,
    };
    this.logger.error({ err: error, seq: event.seq, type: event.type }, 'storage kept failing; the episode ends');
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
    const existing = this.acks.get(clientMessageId);
    if (existing) return existing.promise;
    const d = deferred<number>();
    this.acks.set(clientMessageId, d);
    return d.promise;
  }

  hasPendingAck(clientMessageId: string): boolean {
    return this.acks.has(clientMessageId);
  }

  /** The stored seq of the reply with this client id, from the log in memory (it holds every stored event). */
  storedSeqOf(clientMessageId: string): number | null {
    const e = this.log.events.findLast((x) => x.type === 'message' && x.clientMessageId === clientMessageId);
    return e && e.seq <= this.lastStoredSeq ? e.seq : null;
  }

  /** Whether the play lease is due for renewal (then counted renewed): renewals are writes; a lease lasts ≥ 1 min. */
  leaseRenewalDue(now: number): boolean {
    if (this.leaseRenewedAt !== null && now - this.leaseRenewedAt < LEASE_RENEW_INTERVAL_MS) return false;
    this.leaseRenewedAt = now;
    return true;
  }

  onChunk(delta: string): void {
    this.chunks.add(this.turnOfNextAssistantMessage(), delta);
  }

  /** A retried model call streams its turn again from the start: browsers drop what they showed (`restart: true`). */
  onRestart(): void {
    this.chunks.restart(this.turnOfNextAssistantMessage());
  }

  /** The turn number the model is currently answering: questions asked so far (the final answer gets the next). */
  private turnOfNextAssistantMessage(): number {
    return this.assistantMessages;
  }

  startIdleTimer(awaited: AwaitedReply): void {
    this.clearIdleTimer();
    const timeout = this.settings.idleTimeoutSeconds;
    const warnAfter = Math.max(0, timeout - (this.settings.idleWarningSeconds ?? timeout * 0.2));
    this.idleTimers.push(
      setTimeout(() => this.deps.broadcast.idleWarning(this.id, Math.round(timeout - warnAfter)), warnAfter * 1000),
      setTimeout(() => this.seat.timeOut(timeout), timeout * 1000),
    );
    void awaited;
  }

  clearIdleTimer(): void {
    for (const t of this.idleTimers) clearTimeout(t);
    this.idleTimers = [];
  }

  /** Runs (or continues) the engine; resolves with the outcome once the episode has ended and everything is stored. */
  run(spec: EpisodeSpec, participants: EpisodeParticipants): Promise<'completed' | 'failed' | 'aborted'> {
    const outcome = (async (): Promise<'completed' | 'failed' | 'aborted'> => {
      try {
        await runEpisode(
          spec,
          { ...participants, onAssistantChunk: (d) => this.onChunk(d), onAssistantRestart: () => this.onRestart() },
          this.log,
          this.controller.signal,
        );
        return 'completed';
      } catch (error) {
        if (error instanceof EpisodeAbortedError) return 'aborted';
        if (error instanceof EpisodeFailure) return 'failed';
        throw error;
      } finally {
        this.chunks.discard();
        this.clearIdleTimer();
        await Promise.allSettled([...this.background]);
        await this.persisted;
        for (const d of this.acks.values()) d.reject(new AppError('episode_closed', 'this episode has ended'));
        this.acks.clear();
      }
    })();
    this.done = outcome.then(
      () => undefined,
      () => undefined,
    );
    return outcome;
  }
}
