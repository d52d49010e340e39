import type { BenchmarkRecord } from '../../../shared/schemas/benchmark.ts';
import type { EpisodeEvent } from '../../../shared/schemas/episode.ts';
import type { EpisodeSpec } from '../../engine/episode-runner.ts';
import type { LiveEpisodeInfo } from '../../storage/live-storage.ts';
import { batchParticipants, buildProvenance, type EvaluationModels } from '../evaluation/episode-setup.ts';
import { episodeSummary } from '../evaluation/episode-summary.ts';
import type { LiveDeps, LivePlaySettings } from './live-types.ts';
import { PersonSeat } from './person-seat.ts';
import { RunningEpisode } from './running-episode.ts';
import { simulatedTwinEpisode, twinReply } from './twin.ts';

/**
 * The live episodes running in this process: each one's engine, person seat and twin replies, the simulated twins
 * in the background, and the log they write to (through the engine while it runs, else straight to storage).
 */
export class LiveEpisodes {
  private readonly running = new Map<string, RunningEpisode>();
  private readonly twins = new Set<Promise<void>>();

  constructor(private readonly deps: LiveDeps) {}

  /** The episode if it runs in this process. */
  get(episodeId: string): RunningEpisode | undefined {
    return this.running.get(episodeId);
  }

  /** Continues every live episode a previous process left running (called at start-up, before listening). */
  async recover(): Promise<number> {
    const episodes = await this.deps.storage.live.running();
    for (const info of episodes) {
      const record = await this.deps.storage.getRecord(info.studyId, info.summary.problemId);
      if (!record) {
        await this.deps.storage.live.finish(info.summary.id, {
          status: 'failed',
          weightedScore: null,
          correct: null,
          interactionTurns: null,
          failure: { stage: 'internal', reason: 'record no longer in the study' },
        });
        continue;
      }
      const settings = await this.deps.queue.settings(info.studyId);
      const events = await this.deps.storage.live.eventsAfter(info.summary.id, -1);
      this.launch(info, record, settings, events);
      this.deps.log.info(
        { studyId: info.studyId, episodeId: info.summary.id, storedEvents: events.length },
        'resumed live episode',
      );
    }
    return episodes.length;
  }

  launch(
    info: LiveEpisodeInfo,
    record: BenchmarkRecord,
    settings: LivePlaySettings,
    existing: readonly EpisodeEvent[],
  ): void {
    const id = info.summary.id;
    const judge = this.deps.model(info.summary.judgeModel);
    const simulator = this.deps.model(info.summary.simulatorModel ?? settings.simulatorModel);
    let episode: RunningEpisode | null = null;
    const seat = new PersonSeat((awaited) => {
      if (!episode) return;
      episode.startIdleTimer(awaited);
      const twin = twinReply(episode, awaited, simulator, judge);
      episode.background.add(twin);
      void twin.finally(() => episode?.background.delete(twin));
    });
    episode = new RunningEpisode(info, record, settings, seat, this.deps, existing);
    const logger = episode.logger;
    this.running.set(id, episode);
    const models = { assistant: this.deps.model(info.summary.assistantModel), judge, simulator };
    const provenance = buildProvenance(record, models, true, { live: true, ...info.spec }, null);
    const participants = {
      ...batchParticipants(record, info.summary.mode, info.summary.userType, null, models, provenance),
      user: seat,
    };
    const spec: EpisodeSpec = {
      record,
      mode: info.summary.mode,
      userType: info.summary.userType,
      maxTurns: Number(info.spec.maxTurns ?? settings.maxTurns),
    };
    const run = episode
      .run(spec, participants)
      .then(async (outcome) => {
        if (outcome === 'aborted') return;
        const events = (episode as RunningEpisode).log.events;
        const s = episodeSummary(id, null, spec, participants, events, outcome, info.summary.startedAt);
        await this.deps.storage.live.finish(id, {
          status: outcome,
          weightedScore: s.weightedScore,
          correct: s.correct,
          interactionTurns: s.interactionTurns,
          failure: s.failure,
        });
        if (outcome === 'completed') await this.answered(info.studyId, id);
        // An actor who went idle leaves their unit to someone else.
        if (outcome === 'failed' && events.some((e) => e.type === 'episode_failed' && e.code === 'idle_timeout')) {
          await this.deps.queue.releasePlay?.(info.assignmentId, info.studyId, info.participantId);
        }
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'live episode stopped');
      })
      .finally(() => this.running.delete(id));
    this.track(run, { studyId: info.studyId, episodeId: id });
  }

  /** Hands a finished answer to the rating queue; a failure there is logged, never fatal to the episode. */
  private async answered(studyId: string, episodeId: string): Promise<void> {
    await this.deps
      .onAnswered?.(studyId, episodeId)
      .catch((error: unknown) =>
        this.deps.log.error({ err: error, studyId, episodeId }, 'adding an answer for rating failed'),
      );
  }

  /** Keeps background work until it settles (close waits for it); a failure is logged with `context`. */
  private track(work: Promise<void>, context: Record<string, unknown>): void {
    const p = work.catch((error: unknown) =>
      this.deps.log.error({ err: error, ...context }, 'background work of a live episode failed'),
    );
    this.twins.add(p);
    void p.finally(() => this.twins.delete(p));
  }

  /** The fully simulated twin of a new live episode, run in the background; its answer goes to the raters too. */
  startSimulatedTwin(
    studyId: string,
    episodeId: string,
    record: BenchmarkRecord,
    spec: Omit<EpisodeSpec, 'record' | 'userType'>,
    models: EvaluationModels,
  ): void {
    this.track(
      simulatedTwinEpisode(this.deps.storage, episodeId, record, spec, models, new AbortController().signal).then(
        async (twinId) => {
          if (twinId) await this.answered(studyId, twinId);
        },
      ),
      { studyId, episodeId, work: 'simulated twin' },
    );
  }

  /** The episode's events: from the engine's log while it runs here, else from storage. */
  async eventsOf(episodeId: string): Promise<readonly EpisodeEvent[]> {
    const running = this.running.get(episodeId);
    if (running) {
      await running.flushed();
      return running.log.events;
    }
    return this.deps.storage.live.eventsAfter(episodeId, -1);
  }

  /** Person actions after (or beside) the conversation go into the same log, through the engine's log when it runs. */
  async appendOutsideEngine(
    episodeId: string,
    event: Parameters<RunningEpisode['log']['append']>[0],
  ): Promise<{ seq: number }> {
    const running = this.running.get(episodeId);
    if (running) {
      const appended = running.log.append(event);
      await running.flushed();
      return { seq: appended.seq };
    }
    const last = (await this.deps.storage.live.eventsAfter(episodeId, -1)).pop();
    const full = { ...event, seq: (last?.seq ?? -1) + 1, at: new Date().toISOString() } as EpisodeEvent;
    await this.deps.storage.live.append(episodeId, full);
    this.deps.broadcast.toWatchers(episodeId, full);
    return { seq: full.seq };
  }

  /** Stops all live episodes (server shutdown); they stay 'running' in storage and resume at the next start. */
  async close(): Promise<void> {
    for (const episode of this.running.values()) {
      episode.controller.abort();
    }
    await Promise.allSettled([...this.running.values()].map((e) => e.done));
    await Promise.allSettled([...this.twins]);
  }
}
