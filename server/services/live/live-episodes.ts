import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/errors.ts';
import type { BenchmarkRecord } from '../../../shared/schemas/benchmark.ts';
import type { EpisodeEvent } from '../../../shared/schemas/episode.ts';
import { OUR_PROMPTS, type PromptSet } from '../../engine/prompt-library.ts';
import type { LiveEpisodeInfo } from '../../storage/live-storage.ts';
import type { EvaluationModels } from '../evaluation/episode-setup.ts';
import { episodeSummary } from '../evaluation/episode-summary.ts';
import type { LiveDeps, LivePlaySettings } from './live-types.ts';
import { PersonSeat, type AwaitedReply } from './person-seat.ts';
import { pinnedPrompts } from './live-prompts.ts';
import { RunningEpisode, type EndRequest } from './running-episode.ts';
import { EpisodeEndings } from './episode-endings.ts';
import type { EndReason } from './episode-end-store.ts';
import { episodeModels } from './episode-models.ts';
import { EpisodeOwnership } from './episode-ownership.ts';
import { missedTwinTurns, twinReply } from './twin.ts';
import { LiveEpisodeLogs } from './live-episode-logs.ts';
import { liveEpisodeSpec } from './live-episode-spec.ts';
import { SimulatedTwinStart } from './simulated-twin-start.ts';
import { personPlaying } from '../../storage/write-gate.ts';

/**
 * The live episodes running in this process: each one's engine, person seat and twin replies, the simulated twins
 * in the background, and the log they write to (through the engine while it runs, else straight to storage). Each
 * runs on one node at a time, its owner (episode-ownership.ts): an episode 'running' in storage but not here is healed
 * by resuming it here once no live node owns it (on SQLite, the one server, at once).
 */
export class LiveEpisodes {
  private readonly running = new Map<string, RunningEpisode>();
  private readonly twins = new Set<Promise<void>>();
  /** Episodes being resumed from storage right now, so two requests healing the same one launch it once. */
  private readonly resuming = new Map<string, Promise<RunningEpisode | null>>();
  private readonly closing = new AbortController();
  private readonly twinStart: SimulatedTwinStart;
  /** Their logs, read and appended beside the engine (live-episode-logs.ts). */
  readonly logs: LiveEpisodeLogs;
  private readonly ownership: EpisodeOwnership;
  /** How episodes end in storage (as this node, their owner); ends still being stored answer `unavailable`. */
  private readonly endings: EpisodeEndings;

  constructor(private readonly deps: LiveDeps) {
    const node = deps.node ?? { id: randomUUID(), leaseMs: 15_000, shared: false };
    // Taken over by another node after this one stalled past its lease: stopped here without storing anything more.
    this.ownership = new EpisodeOwnership(deps.storage.nodes, node, deps.log, (id) => this.running.get(id)?.lose());
    this.endings = new EpisodeEndings(deps, node.id, this.closing.signal);
    this.twinStart = new SimulatedTwinStart(deps, this.closing.signal);
    this.logs = new LiveEpisodeLogs(
      deps,
      (id) => this.running.get(id),
      (id) => this.assertAvailable(id),
    );
  }

  /** The episode if it runs in this process. */
  get(episodeId: string): RunningEpisode | undefined {
    return this.running.get(episodeId);
  }

  /** Throws a retryable `unavailable` while the episode cannot be played: saving it is delayed, or its end not stored. */
  assertAvailable(episodeId: string): void {
    // Lost to another node (a refused write or renewal): the browser reconnects, and its request reaches the owner.
    if (this.running.get(episodeId)?.lost)
      throw new AppError('episode_elsewhere', 'another server runs this conversation; reconnect to continue');
    if (this.endings.pending(episodeId) || this.closing.signal.aborted)
      throw new AppError('unavailable', 'this episode is being closed; try again in a moment');
    if (this.running.get(episodeId)?.storageDelayed)
      throw new AppError('unavailable', 'saving the conversation is delayed; try again in a moment');
  }

  /**
   * The running episode, resumed from its stored events if storage says it runs but this process does not hold it
   * (as start-up recovery does). Null when it is over. `unavailable` while its end is being stored.
   */
  async live(info: LiveEpisodeInfo): Promise<RunningEpisode | null> {
    const id = info.summary.id;
    this.assertAvailable(id);
    const running = this.running.get(id);
    if (running) return running;
    if (info.summary.status !== 'running') return null;
    let resuming = this.resuming.get(id);
    if (!resuming) {
      resuming = this.resume(info).finally(() => this.resuming.delete(id));
      this.resuming.set(id, resuming);
    }
    const resumed = await resuming;
    this.assertAvailable(id);
    return resumed;
  }

  /**
   * Continues every live episode a previous process left running (called at start-up, once listening): on PostgreSQL
   * only those no live node owns (their owner died); a live peer's stay with it. Returns how many were taken.
   */
  async recover(): Promise<number> {
    const episodes = await this.deps.storage.live.running();
    let taken = 0;
    for (const info of episodes) {
      if (this.running.has(info.summary.id)) continue;
      // One that cannot be read now stays 'running' in storage: the actor's next request heals it.
      await this.resume(info).then(
        () => taken++,
        (error: unknown) => {
          if (error instanceof AppError && error.code === 'episode_elsewhere') return;
          this.deps.log.error(
            { err: error, studyId: info.studyId, episodeId: info.summary.id },
            'resuming a live episode failed',
          );
        },
      );
    }
    return taken;
  }

  /**
   * Launches one stored running episode again from its events. One that cannot run any more (its record is gone, a
   * model it uses is no longer declared) is ended as failed with the reason and its lease released, so it never stops
   * the others or the server. A failure to read storage is thrown: nothing is decided from a read that did not happen.
   */
  private async resume(read: LiveEpisodeInfo): Promise<RunningEpisode | null> {
    const id = read.summary.id;
    // Owned before its events are read, so no other node appends after what this one resumes from.
    await this.ownership.claim(id);
    try {
      // Read again now that it is this node's: its last owner may have ended it before giving it up.
      const info = await this.deps.storage.live.get(id);
      if (info?.summary.status === 'running') return await this.resumeOwned(info);
      this.ownership.release(id);
      return null;
    } catch (error) {
      // Not running here after all: another node may take it at once rather than after this node's lease.
      this.ownership.release(id);
      throw error;
    }
  }

  private async resumeOwned(info: LiveEpisodeInfo): Promise<RunningEpisode | null> {
    const log = this.deps.log.child({ studyId: info.studyId, episodeId: info.summary.id });
    let end: EndReason;
    const record = await this.deps.storage.getRecord(info.studyId, info.summary.problemId);
    if (record) {
      const settings = await this.deps.queue.settings(info.studyId);
      const models = episodeModels(info, settings, this.deps.model);
      // The prompts it started with (its pinned pack), never the study's current ones.
      const prompts = pinnedPrompts(info.spec, this.deps.prompts);
      if ('missing' in models) {
        end = { code: 'model_undeclared', reason: `model ${models.missing} is no longer declared` };
      } else if ('problem' in prompts) {
        end = { code: 'prompt_pack_unavailable', reason: prompts.problem };
      } else {
        const events = await this.deps.storage.live.eventsAfter(info.summary.id, -1);
        const episode = this.launch(info, record, settings, events, models, prompts);
        log.info({ storedEvents: events.length }, 'resumed live episode');
        // The person had played: their twin's job is recorded (once) even if the process died before it was.
        if (events.some((e) => (e.type === 'message' && e.kind === 'reply') || e.type === 'actor_rated'))
          void this.ensureSimulatedTwin(info).catch((error: unknown) =>
            log.error({ err: error }, 'starting the simulated twin failed'),
          );
        return episode;
      }
    } else {
      end = { code: 'record_missing', reason: 'record no longer in the study' };
    }
    log.warn({ reason: end.reason }, 'a live episode left running cannot resume; it ends as failed');
    await this.endings.storeFailure(info, end).finally(() => this.ownership.release(info.summary.id));
    return null;
  }

  /** Starts a new episode's engine (stored with `live.begin` first). Throws if one of its models is not declared. */
  async start(
    info: LiveEpisodeInfo,
    record: BenchmarkRecord,
    settings: LivePlaySettings,
    prompts: PromptSet = OUR_PROMPTS,
  ): Promise<RunningEpisode> {
    const models = episodeModels(info, settings, this.deps.model);
    if ('missing' in models) throw new AppError('model_unavailable', `model ${models.missing} is not declared`);
    await this.ownership.claim(info.summary.id);
    return this.launch(info, record, settings, [], models, prompts);
  }

  private launch(
    info: LiveEpisodeInfo,
    record: BenchmarkRecord,
    settings: LivePlaySettings,
    existing: readonly EpisodeEvent[],
    models: EvaluationModels,
    prompts: PromptSet,
  ): RunningEpisode {
    const id = info.summary.id;
    const { judge, simulator } = models;
    let episode: RunningEpisode | null = null;
    const answerAsTwin = (awaited: AwaitedReply): void => {
      if (!episode) return;
      const twin = twinReply(episode, awaited, simulator, judge, prompts);
      episode.background.add(twin);
      void twin.finally(() => episode?.background.delete(twin));
    };
    const seat = new PersonSeat((awaited) => {
      episode?.startIdleTimer(awaited);
      answerAsTwin(awaited);
    });
    const running = new RunningEpisode(info, record, settings, seat, this.deps, this.ownership.node.id, existing);
    episode = running;
    // Resumed: twin replies the last process had not stored (it stopped while they ran) are made now.
    for (const awaited of missedTwinTurns(existing)) answerAsTwin(awaited);
    const logger = running.logger;
    this.running.set(id, running);
    // While it runs, the research work's threads take less of the CPU (write-gate.ts, background-cpu-share.ts).
    const stopPlaying = personPlaying();
    const { spec, participants } = liveEpisodeSpec(info, record, settings, models, prompts, seat);
    const run = running
      .run(spec, participants)
      // Stored as this episode's owner (or nothing, if another node took it over meanwhile).
      .then((outcome) =>
        this.endings.afterRun(info, running, outcome, (ended) =>
          episodeSummary(id, null, spec, participants, running.log.events, ended, info.summary.startedAt),
        ),
      )
      .catch((error: unknown) => {
        logger.error({ err: error }, 'live episode stopped');
      })
      .finally(() => {
        this.running.delete(id);
        stopPlaying();
        this.ownership.release(id);
        // What of its log this node stored (in order, from seq 0), kept for the person's requests after the end.
        if (!running.lost) this.logs.ended.keep(id, running.log.events, running.lastStoredSeq);
      });
    running.settled = run;
    this.track(run, { studyId: info.studyId, episodeId: id });
    return running;
  }

  /**
   * Ends a live episode as failed without its engine: a researcher ends a session, or it cannot resume. A running
   * engine is stopped first and the end stored after its last stored event. Resolves once the end is stored.
   */
  async end(info: LiveEpisodeInfo, end: EndRequest): Promise<void> {
    const id = info.summary.id;
    const pending = this.endings.pending(id);
    if (pending) return pending;
    const running = this.running.get(id);
    if (running) {
      // The run's own completion stores the end (launch): wait for that rather than store it twice.
      running.requestEnd(end);
      await running.settled;
      return;
    }
    // Not running here: ended here only if no live node runs it (else `episode_elsewhere`), never beside its owner.
    await this.ownership.claim(id);
    await this.endings.storeFailure(info, end).finally(() => this.ownership.release(id));
  }

  /** Keeps background work until it settles (close waits for it); a failure is logged with `context`. */
  private track(work: Promise<void>, context: Record<string, unknown>): void {
    const p = work.catch((error: unknown) =>
      this.deps.log.error({ err: error, ...context }, 'background work of a live episode failed'),
    );
    this.twins.add(p);
    void p.finally(() => this.twins.delete(p));
  }

  /** The episode's simulated twin, once the person has played (simulated-twin-start.ts). */
  async ensureSimulatedTwin(episode: RunningEpisode | LiveEpisodeInfo): Promise<void> {
    await this.twinStart.ensure(episode instanceof RunningEpisode ? episode.info : episode);
  }

  /** Stops all live episodes (server shutdown); they stay 'running' in storage and resume at the next start. */
  async close(): Promise<void> {
    this.closing.abort();
    for (const episode of this.running.values()) {
      episode.controller.abort();
    }
    await Promise.allSettled([...this.running.values()].map((e) => e.done));
    await this.endings.settled();
    await Promise.allSettled([...this.twins]);
    await this.ownership.stop();
  }
}
