import { createHash } from 'node:crypto';
import { normalizeProblem } from '../../../shared/benchmark/normalize-problem.ts';
import type { BenchmarkRecord } from '../../../shared/schemas/benchmark.ts';
import type { Mode, UserType } from '../../../shared/schemas/evaluation.ts';
import type { Provenance } from '../../../shared/schemas/episode.ts';
import type { ModelConfig } from '../../../shared/schemas/models.ts';
import { ModelAssistantSeat } from '../../engine/model-assistant-seat.ts';
import type { EpisodeParticipants } from '../../engine/episode-runner.ts';
import { promptHashes } from '../../engine/prompt-library.ts';
import type { UserSeat } from '../../engine/seats.ts';
import { SimulatedUserSeat } from '../../engine/simulated-user-seat.ts';
import type { ModelProvider } from '../../models/model-provider.ts';
import { APP_VERSION } from '../../version.ts';

export interface EvaluationModels {
  assistant: ModelProvider;
  judge: ModelProvider;
  simulator: ModelProvider;
}

function sha256(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

/** The settings that shape a model's outputs, for provenance; the config never holds a key, only its variable name. */
function settings(config: ModelConfig): Record<string, unknown> {
  return {
    provider: config.provider,
    model: config.model,
    parameters: config.parameters,
    baseUrl: config.baseUrl ?? null,
  };
}

export function buildProvenance(
  record: BenchmarkRecord,
  models: EvaluationModels,
  simulatorUsed: boolean,
  options: Record<string, unknown>,
  benchmarkSha256: string | null,
): Provenance {
  return {
    appVersion: APP_VERSION,
    assistantModel: models.assistant.config.name,
    judgeModel: models.judge.config.name,
    simulatorModel: simulatorUsed ? models.simulator.config.name : null,
    modelSettings: {
      assistant: settings(models.assistant.config),
      judge: settings(models.judge.config),
      ...(simulatorUsed ? { simulator: settings(models.simulator.config) } : {}),
    },
    promptHashes: promptHashes(),
    recordSha256: sha256(record),
    personaSha256: sha256(record.persona),
    rubricSha256: sha256(record.evaluation_rubric),
    benchmarkSha256,
    options,
  };
}

/**
 * Fills the seats for one batch episode: the model under test in the assistant seat and, for discovery, a simulated
 * user in the user seat. (A live session fills the user seat with a person instead; everything else is the same.)
 */
export function batchParticipants(
  record: BenchmarkRecord,
  mode: Mode,
  userType: UserType,
  fixedQuestions: number | null,
  models: EvaluationModels,
  provenance: Provenance,
): EpisodeParticipants {
  const hint = {
    mode,
    problemId: record.problem_id,
    problem: normalizeProblem(record),
    fixedQuestions,
    ...(mode === 'persona_known' ? { preferences: record.persona_preferences } : {}),
  };
  const user: UserSeat | null =
    mode === 'infer_persona' && userType !== 'no_user_interaction'
      ? new SimulatedUserSeat(models.simulator, record, userType)
      : null;
  return {
    assistant: new ModelAssistantSeat(models.assistant, hint),
    user,
    judge: models.judge,
    labeler: models.judge,
    provenance,
  };
}
