import type { BenchmarkRecord } from '../../../shared/schemas/benchmark.ts';
import type { ModelProvider } from '../../models/model-provider.ts';
import type { LiveEpisodeInfo } from '../../storage/live-storage.ts';
import type { PackPin } from './live-prompts.ts';
import type { LivePlaySettings, PlayUnit } from './live-types.ts';

/**
 * A new live episode's row (LiveSessions.startOrResume stores it with `live.begin` before its engine starts): the
 * unit the study's queue handed this actor, run with the study's settings and models, its prompt pack pinned.
 */
export function newLiveEpisodeInfo(
  start: { id: string; unit: PlayUnit; participantId: string; pin: PackPin | null },
  record: BenchmarkRecord,
  settings: LivePlaySettings,
  models: { assistant: ModelProvider; judge: ModelProvider; simulator: ModelProvider },
): LiveEpisodeInfo {
  const { id, unit, pin } = start;
  const userType = settings.mode === 'infer_persona' ? 'passive_nostop' : 'no_user_interaction';
  return {
    summary: {
      id,
      runId: null,
      problemId: record.problem_id,
      personaId: record.persona.id,
      mode: settings.mode,
      userType,
      userSeat: settings.mode === 'infer_persona' ? 'person' : 'none',
      status: 'running',
      weightedScore: null,
      correct: null,
      interactionTurns: null,
      assistantModel: models.assistant.config.name,
      judgeModel: models.judge.config.name,
      simulatorModel: models.simulator.config.name,
      failure: null,
      startedAt: new Date().toISOString(),
      endedAt: null,
    },
    studyId: unit.studyId,
    participantId: start.participantId,
    assignmentId: unit.assignmentId,
    spec: { mode: settings.mode, maxTurns: settings.maxTurns, ...pin },
  };
}
