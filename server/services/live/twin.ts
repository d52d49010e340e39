import { describeError } from '../../../shared/errors.ts';
import type { BenchmarkRecord } from '../../../shared/schemas/benchmark.ts';
import { labelDisclosure } from '../../engine/disclosure-labeler.ts';
import { EpisodeAbortedError, EpisodeFailure } from '../../engine/episode-errors.ts';
import { EpisodeLog } from '../../engine/episode-log.ts';
import { runEpisode, type EpisodeSpec } from '../../engine/episode-runner.ts';
import { SimulatedUserSeat } from '../../engine/simulated-user-seat.ts';
import type { ModelProvider } from '../../models/model-provider.ts';
import { batchParticipants, buildProvenance, type EvaluationModels } from '../evaluation/episode-setup.ts';
import { episodeSummary } from '../evaluation/episode-summary.ts';
import type { Storage } from '../../storage/storage.ts';
import type { AwaitedReply } from './person-seat.ts';
import type { RunningEpisode } from './running-episode.ts';

/** The simulated user type the twins play: the reference's default. */
export const TWIN_USER_TYPE = 'passive_nostop' as const;

/**
 * The twin reply: the simulated user answers the question the person was just asked, at the same point of the same
 * conversation, and the disclosure labeler labels it. Stored in the live episode's log; never shown to the person.
 */
export async function twinReply(
  episode: RunningEpisode,
  awaited: AwaitedReply,
  simulator: ModelProvider,
  labeler: ModelProvider,
): Promise<void> {
  const already = episode.log.events.some((e) => e.type === 'twin_reply' && e.turn === awaited.turn);
  if (already) return;
  const signal = episode.controller.signal;
  try {
    const seat = new SimulatedUserSeat(simulator, episode.record, TWIN_USER_TYPE);
    const reply = await seat.reply({
      turn: awaited.turn,
      assistantMessage: awaited.assistantMessage,
      history: awaited.history,
      signal,
    });
    const label = await labelDisclosure(
      labeler,
      episode.record.persona_preferences,
      { assistantMessage: awaited.assistantMessage, userMessage: reply.response },
      signal,
    );
    const issues = [reply.issue, label.issue].filter((i): i is string => Boolean(i));
    episode.log.append({
      type: 'twin_reply',
      turn: awaited.turn,
      response: reply.response,
      ...(reply.thought ? { thought: reply.thought } : {}),
      asked: label.asked,
      revealed: label.revealed,
      ...(issues.length > 0 ? { issue: issues.join(' | ') } : {}),
    });
  } catch (error) {
    if (signal.aborted) return;
    episode.logger.warn({ err: error, turn: awaited.turn }, 'twin reply failed');
    episode.log.append({
      type: 'twin_reply',
      turn: awaited.turn,
      response: '',
      asked: [],
      revealed: [],
      issue: `twin failed: ${describeError(error)}`,
    });
  }
}

/**
 * The fully simulated twin: the same record and model, with the simulated user in the user seat, stored as its own
 * episode linked to the live one. Failures are stored too.
 */
export async function simulatedTwinEpisode(
  storage: Storage,
  liveEpisodeId: string,
  record: BenchmarkRecord,
  spec: Omit<EpisodeSpec, 'record' | 'userType'>,
  models: EvaluationModels,
  signal: AbortSignal,
): Promise<string | null> {
  const full: EpisodeSpec = {
    ...spec,
    record,
    userType: spec.mode === 'infer_persona' ? TWIN_USER_TYPE : 'no_user_interaction',
  };
  const provenance = buildProvenance(
    record,
    models,
    spec.mode === 'infer_persona',
    { twinOf: liveEpisodeId, maxTurns: spec.maxTurns ?? null },
    null,
  );
  const participants = batchParticipants(record, full.mode, full.userType, null, models, provenance);
  const log = new EpisodeLog();
  const startedAt = new Date().toISOString();
  const id = crypto.randomUUID();
  let status: 'completed' | 'failed' | 'aborted' = 'completed';
  try {
    await runEpisode(full, participants, log, signal);
  } catch (error) {
    if (error instanceof EpisodeAbortedError) status = 'aborted';
    else if (error instanceof EpisodeFailure) status = 'failed';
    else throw error;
  }
  await storage.live.saveTwin(
    liveEpisodeId,
    episodeSummary(id, null, full, participants, log.events, status, startedAt),
    log.events,
  );
  return status === 'completed' ? id : null;
}
