import type { EpisodeEvent } from '../../../shared/schemas/episode.ts';
import { personaIdOf } from '../../../shared/benchmark/record-checks.ts';
import type { EpisodeParticipants, EpisodeSpec } from '../../engine/episode-runner.ts';
import type { EpisodeStatus, EpisodeSummary } from '../../storage/episode-storage.ts';

/** The episodes-table row for an episode, read off its event log. */
export function episodeSummary(
  id: string,
  runId: string | null,
  spec: EpisodeSpec,
  who: EpisodeParticipants,
  events: readonly EpisodeEvent[],
  status: EpisodeStatus,
  startedAt: string,
): EpisodeSummary {
  const completed = events.find(
    (e): e is Extract<EpisodeEvent, { type: 'episode_completed' }> => e.type === 'episode_completed',
  );
  const failed = events.find(
    (e): e is Extract<EpisodeEvent, { type: 'episode_failed' }> => e.type === 'episode_failed',
  );
  return {
    id,
    runId,
    problemId: spec.record.problem_id,
    personaId: personaIdOf(spec.record),
    mode: spec.mode,
    userType: spec.userType,
    userSeat: spec.mode === 'infer_persona' ? (who.user?.kind ?? 'none') : 'none',
    status,
    weightedScore: completed?.weightedScore ?? null,
    correct: completed?.correct ?? null,
    interactionTurns: completed?.interactionTurns ?? null,
    assistantModel: who.provenance.assistantModel,
    judgeModel: who.provenance.judgeModel,
    simulatorModel: who.provenance.simulatorModel,
    failure: failed
      ? { stage: failed.stage, reason: failed.reason }
      : status === 'aborted'
        ? { stage: 'aborted', reason: 'the run was interrupted' }
        : null,
    startedAt,
    endedAt: new Date().toISOString(),
  };
}
