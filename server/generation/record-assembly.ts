import type { SourceTask } from '../../shared/benchmark/source-task.ts';
import type { BenchmarkRecord } from '../../shared/schemas/benchmark.ts';
import type { LibraryPersona } from '../../shared/schemas/persona.ts';
import type { GenerationConfig } from '../../shared/schemas/generation-config.ts';
import type { Dimension } from './dimension.ts';
import { dimensionKey } from './dimension-names.ts';
import type { GenerationContext } from './generation-call.ts';
import type { Pair } from './generation-plan.ts';
import type { EarlierPreference } from './preference-history.ts';
import { instantiatePreferences } from './preference-instantiation.ts';
import { buildRubric } from './rubric-builder.ts';
import { rngFor } from './seeded.ts';
import { keepPreferences } from './sparsity.ts';
import { asRecordPersona } from './generation-text.ts';

export interface AssemblyInput {
  pair: Pair;
  problem: Record<string, unknown>;
  persona: LibraryPersona;
  shape: SourceTask;
  problemContext: string;
  /** The pair's canonical dimensions after de-duplication. */
  dimensions: Dimension[];
  /** The dataset-level dimensions, added to every record when the config says so. */
  general: Dimension[];
  earlier: EarlierPreference[];
  config: GenerationConfig;
}

/** The dimensions a record is instantiated over: its own, then the general ones it does not already have. */
export function recordDimensions(own: Dimension[], general: Dimension[], includeGeneral: boolean): Dimension[] {
  if (!includeGeneral) return own;
  const have = new Set(own.map((d) => dimensionKey(d.name)));
  return [...own, ...general.filter((g) => !have.has(dimensionKey(g.name)))];
}

/**
 * Steps 3 and 4 of a record (instantiate, keep the sparse subset, write the rubric) and the record itself
 * (docs/generating-benchmarks.md).
 */
export async function assembleRecord(ctx: GenerationContext, input: AssemblyInput): Promise<BenchmarkRecord> {
  const prefs = input.config.preferences;
  const persona = asRecordPersona(input.persona);
  const dimensions = recordDimensions(input.dimensions, input.general, prefs.includeGeneralDimensions);
  const all = await instantiatePreferences(ctx, {
    persona,
    problem: input.problem,
    problemContext: input.problemContext,
    dimensions,
    earlier: input.earlier,
  });
  const preferences = keepPreferences(
    all,
    prefs.keepPerRecord,
    prefs.keepStrategy,
    rngFor(input.config.seed, `keep:${input.pair.problemId}`),
  );
  const rubric = await buildRubric(ctx, {
    persona,
    problem: input.problem,
    problemContext: input.problemContext,
    preferences,
  });
  return {
    type: 'personalized_problem',
    problem_id: input.pair.problemId,
    original_problem: input.problem,
    persona,
    persona_preferences: preferences,
    evaluation_rubric: rubric,
    generation_success: true,
  };
}
