import { z } from 'zod';
import type { EpisodeEvent } from '../../../shared/schemas/episode.ts';
import { EpisodeAbortedError, EpisodeFailure } from '../../engine/episode-errors.ts';
import { EpisodeLog } from '../../engine/episode-log.ts';
import { runEpisode, type EpisodeSpec } from '../../engine/episode-runner.ts';
import { stateFromEvents } from '../../engine/episode-state.ts';
import type { PromptSet } from '../../engine/prompt-library.ts';
import type { ModelProvider } from '../../models/model-provider.ts';
import type { EpisodeStatus, EpisodeSummary } from '../../storage/episode-storage.ts';
import type { Storage } from '../../storage/storage.ts';
import { batchParticipants, buildProvenance } from '../evaluation/episode-setup.ts';
import { episodeSummary } from '../evaluation/episode-summary.ts';
import type { Logger } from '../logger.ts';
import { pinnedPrompts } from './live-prompts.ts';
import { TWIN_USER_TYPE } from './twin.ts';

/** The job kind and key of a live episode's simulated twin: one job per live episode. */
export const TWIN_JOB_KIND = 'twin';
export const twinJobKey = (liveEpisodeId: string): string => `twin:${liveEpisodeId}`;

/**
 * What a twin job carries: only the live episode's id. Everything else (record, models, engine settings) is read from
 * storage when the job runs, so a job resumed after a restart runs with what the live episode was stored with.
 */
export const TwinJobPayloadSchema = z.object({ liveEpisodeId: z.string().min(1) });
export type TwinJobPayload = z.infer<typeof TwinJobPayloadSchema>;

export interface TwinDeps {
  storage: Storage;
  model(name: string): ModelProvider;
  log: Logger;
  /** Loads the prompt pack a live episode pinned (its study's, docs/prompt-packs.md); absent: built-in prompts only. */
  prompts?: (folder: string) => PromptSet;
  /** The twin finished with a final answer: it becomes a rating candidate (adding one twice changes nothing). */
  onAnswered?(studyId: string, episodeId: string): Promise<void>;
}

/** How a twin run ended: `aborted` leaves it running in storage, to be continued by the next run of its job. */
export type TwinOutcome = { status: EpisodeStatus; twinId: string } | { status: 'skipped'; reason: string };

/**
 * Runs (or continues) the fully simulated twin of a live episode: the same record and models, with the simulated
 * user in the user seat, stored as its own episode linked to the live one. Its events are stored one by one as the
 * engine makes them, so a crash leaves the prefix; the next run continues from that prefix (the engine resumes from a
 * log) and never writes an event twice. A twin already ended is not run again: its end is stored and answered once.
 * When `signal` aborts (shutdown, cancel) the twin stops where it is and stays 'running' in storage.
 * Throws when the twin cannot run (live episode or record gone, a model not declared, storage failing).
 */
export async function runTwinEpisode(
  deps: TwinDeps,
  payload: TwinJobPayload,
  signal: AbortSignal,
): Promise<TwinOutcome> {
  const liveId = payload.liveEpisodeId;
  const info = await deps.storage.live.get(liveId);
  if (!info) throw new Error(`live episode ${liveId} is not stored`);
  const record = await deps.storage.getRecord(info.studyId, info.summary.problemId);
  if (!record) throw new Error(`record ${info.summary.problemId} is no longer in study ${info.studyId}`);
  const simulatorName = info.summary.simulatorModel;
  if (!simulatorName) throw new Error(`live episode ${liveId} has no simulator model`);
  const models = {
    assistant: deps.model(info.summary.assistantModel),
    judge: deps.model(info.summary.judgeModel),
    simulator: deps.model(simulatorName),
  };
  // The prompts the live episode started with (its pinned pack), so the twin is asked as the person's episode was.
  const prompts = pinnedPrompts(info.spec, deps.prompts);
  if ('problem' in prompts) throw new Error(`the twin of live episode ${liveId} cannot run: ${prompts.problem}`);
  const mode = info.summary.mode;
  const maxTurns = Number(info.spec.maxTurns);
  const spec: EpisodeSpec = {
    record,
    mode,
    userType: mode === 'infer_persona' ? TWIN_USER_TYPE : 'no_user_interaction',
    ...(Number.isFinite(maxTurns) && maxTurns > 0 ? { maxTurns } : {}),
    prompts,
  };
  const provenance = buildProvenance(
    record,
    models,
    mode === 'infer_persona',
    { twinOf: liveId, maxTurns: spec.maxTurns ?? null },
    null,
    prompts,
  );
  const participants = batchParticipants(record, mode, spec.userType, null, models, provenance, { prompts });
  const fresh = episodeSummary(crypto.randomUUID(), null, spec, participants, [], 'running', new Date().toISOString());
  const { twin, created } = await deps.storage.live.beginTwin(liveId, { ...fresh, endedAt: null });
  const log = deps.log.child({ studyId: info.studyId, episodeId: liveId, twinId: twin.id });
  if (twin.status !== 'running') {
    // Ended by an earlier run; its answer may not have reached the raters if that run stopped right after.
    if (twin.status === 'completed') await deps.onAnswered?.(info.studyId, twin.id);
    return { status: twin.status, twinId: twin.id };
  }
  const stored = created ? [] : await deps.storage.live.eventsAfter(twin.id, -1);
  if (!created) log.info({ storedEvents: stored.length }, 'continuing a simulated twin');

  // Events are stored in order, each after the one before; after a failed one nothing more is stored (no gap), and the
  // engine is stopped: the stored prefix is what the next run continues from.
  const stop = new AbortController();
  const onAbort = (): void => stop.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  let storing: Promise<void> = Promise.resolve();
  let storeError: unknown = null;
  const store = (event: EpisodeEvent): void => {
    storing = storing.then(async () => {
      if (storeError !== null) return;
      try {
        await deps.storage.live.append(twin.id, event);
      } catch (error) {
        storeError = error;
        stop.abort(error);
      }
    });
  };
  const episodeLog = new EpisodeLog(store, () => new Date(), stored);

  let status: EpisodeStatus;
  try {
    const ended = stateFromEvents(stored, null).ended;
    // A twin whose last event (completed or failed) was stored before its end was: only the end is left to store.
    if (ended) status = ended;
    else {
      await runEpisode(spec, participants, episodeLog, stop.signal);
      status = 'completed';
    }
  } catch (error) {
    if (error instanceof EpisodeAbortedError) status = 'aborted';
    else if (error instanceof EpisodeFailure) status = 'failed';
    else throw error;
  } finally {
    signal.removeEventListener('abort', onAbort);
    await storing;
  }
  if (storeError !== null) throw storeError;
  if (status === 'aborted') {
    log.info(
      { storedEvents: episodeLog.events.length },
      'simulated twin stopped; it continues when its job runs again',
    );
    return { status, twinId: twin.id };
  }
  const s: EpisodeSummary = episodeSummary(
    twin.id,
    null,
    spec,
    participants,
    episodeLog.events,
    status,
    twin.startedAt,
  );
  await deps.storage.live.finish(twin.id, {
    status,
    weightedScore: s.weightedScore,
    correct: s.correct,
    interactionTurns: s.interactionTurns,
    failure: s.failure,
  });
  log.info({ status }, 'simulated twin ended');
  if (status === 'completed') await deps.onAnswered?.(info.studyId, twin.id);
  return { status, twinId: twin.id };
}
