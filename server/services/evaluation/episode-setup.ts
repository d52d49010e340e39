import { createHash } from 'node:crypto';
import { deepFreeze, deeplyFrozen } from '../../../shared/deep-freeze.ts';
import { normalizeProblem } from '../../../shared/benchmark/normalize-problem.ts';
import type { BenchmarkRecord } from '../../../shared/schemas/benchmark.ts';
import type { NormalizedProblem } from '../../../shared/schemas/problem.ts';
import type { Mode, UserType } from '../../../shared/schemas/evaluation.ts';
import type { Provenance } from '../../../shared/schemas/episode.ts';
import type { ModelConfig } from '../../../shared/schemas/models.ts';
import { ModelAssistantSeat } from '../../engine/model-assistant-seat.ts';
import type { EpisodeParticipants } from '../../engine/episode-runner.ts';
import { OUR_PROMPTS, promptHashes, type PromptSet } from '../../engine/prompt-library.ts';
import type { UserSeat } from '../../engine/seats.ts';
import { SimulatedUserSeat } from '../../engine/simulated-user-seat.ts';
import type { ModelImage, ModelProvider } from '../../models/model-provider.ts';
import { APP_VERSION } from '../../version.ts';

export interface EvaluationModels {
  assistant: ModelProvider;
  judge: ModelProvider;
  simulator: ModelProvider;
}

/**
 * Hashes of deeply frozen values (records, from the storage's cache of parsed records), made once per object. Why:
 * serializing the record, persona and rubric again at every live episode's start was the largest part of starting
 * one on the live loop (profiled at 1,000 persons). A frozen value can never change, so neither can its hash; a value
 * that is not frozen throughout is hashed at every call, as before.
 */
const frozenHashes = new WeakMap<object, string>();

function sha256(value: unknown): string {
  const cacheable = typeof value === 'object' && value !== null;
  const known = cacheable ? frozenHashes.get(value) : undefined;
  if (known !== undefined) return known;
  const hash = createHash('sha256').update(JSON.stringify(value)).digest('hex');
  if (cacheable && deeplyFrozen(value)) frozenHashes.set(value, hash);
  return hash;
}

/** The problem as the hint to the model under test shows it, made once per deeply frozen record (as its hashes). */
const frozenProblems = new WeakMap<object, NormalizedProblem>();

function problemOf(record: BenchmarkRecord): NormalizedProblem {
  const known = frozenProblems.get(record);
  if (known) return known;
  const problem = normalizeProblem(record);
  // Frozen too, since every episode of the record shares it (its readers only read it).
  if (deeplyFrozen(record)) frozenProblems.set(record, deepFreeze(problem));
  return problem;
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
  prompts: PromptSet = OUR_PROMPTS,
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
    promptHashes: promptHashes(prompts),
    ...(prompts.pack ? { promptPack: prompts.pack } : {}),
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
  options: {
    referenceQuirks?: boolean;
    prompts?: PromptSet;
    integralFloats?: ReadonlySet<string>;
    /** `run --image`: the record's image, sent to the model under test with the opening message. */
    openingImage?: ModelImage;
  } = {},
): EpisodeParticipants {
  const hint = {
    mode,
    problemId: record.problem_id,
    problem: problemOf(record),
    fixedQuestions,
    ...(mode === 'persona_known' ? { preferences: record.persona_preferences } : {}),
  };
  const user: UserSeat | null =
    mode === 'infer_persona' && userType !== 'no_user_interaction'
      ? new SimulatedUserSeat(models.simulator, record, userType, {
          reference: options.referenceQuirks === true,
          ...(options.prompts ? { prompts: options.prompts } : {}),
          ...(options.integralFloats ? { integralFloats: options.integralFloats } : {}),
        })
      : null;
  return {
    assistant: new ModelAssistantSeat(
      models.assistant,
      hint,
      options.openingImage ? [options.openingImage] : undefined,
    ),
    user,
    judge: models.judge,
    labeler: models.judge,
    provenance,
  };
}
