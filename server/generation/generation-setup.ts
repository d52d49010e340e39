import type { GenerationConfig } from '../../shared/schemas/generation-config.ts';
import type { LibraryPersona } from '../../shared/schemas/persona.ts';
import { generateGeneralDimensions } from './general-dimensions.ts';
import type { GenerationContext } from './generation-call.ts';
import { GenerationSetupError } from './generation-errors.ts';
import { drawPlan } from './generation-plan.ts';
import { writeState, type GenerationState } from './generation-state.ts';
import type { SourceProblem } from './load-source.ts';
import { generatePersona, savePersona } from './persona-generator.ts';
import type { RunControl } from './run-control.ts';
import type { RunFiles } from './run-files.ts';
import { rngFor } from './seeded.ts';

/**
 * What the phases before the records read and settle. Each phase is skipped when the saved state already holds its
 * result, and writes the state as soon as it has one, so a rerun continues where a run stopped.
 */
export interface SetupInput {
  config: GenerationConfig;
  state: GenerationState;
  files: RunFiles;
  personasDir: string;
  sampled: SourceProblem[];
  /** The persona library; the personas phase adds to it. */
  library: LibraryPersona[];
}

export interface SetupDeps {
  ctx: GenerationContext;
  control: RunControl;
  notice: (text: string) => void;
}

/**
 * Grows the library to `personas.generate` new personas, one at a time (each new persona is pushed away from the
 * ones before it), before any plan is drawn. Returns how many this run added.
 */
export async function growPersonas(input: SetupInput, deps: SetupDeps): Promise<number> {
  const { config, state, library } = input;
  const target = config.personas.generate;
  let added = 0;
  let failed = 0;
  while (
    state.plan === null &&
    state.personasGenerated.length < target &&
    failed < target - state.personasGenerated.length &&
    !deps.control.signal.aborted
  ) {
    const k = state.personasGenerated.length;
    try {
      const persona = await generatePersona(deps.ctx, library, rngFor(config.seed, `persona:${k}:${failed}`));
      await savePersona(input.personasDir, persona);
      library.push(persona);
      state.personasGenerated.push(persona.id);
      writeState(input.files.state, state);
      added += 1;
      deps.notice(`persona ${k + 1}/${target}: ${persona.name} (${persona.id}) added to ${input.personasDir}`);
    } catch (error) {
      deps.control.fail(error, { persona_index: k });
      failed += 1;
    }
  }
  if (state.plan === null && state.personasGenerated.length < target && deps.control.stopped === null) {
    deps.control.stop(
      'personas_incomplete',
      `${state.personasGenerated.length} of ${target} personas generated (failures in ${input.files.failures}); rerun to try again`,
    );
  }
  return added;
}

/** Which personas each sampled problem gets, drawn once from the library as it now stands. */
export function drawPlanOnce(input: SetupInput, control: RunControl): void {
  const { config, state, library } = input;
  if (control.stopped !== null || state.plan !== null) return;
  if (library.length < config.personasPerProblem) {
    throw new GenerationSetupError(
      `${input.personasDir} has ${library.length} personas but personasPerProblem is ${config.personasPerProblem}; lower it or generate personas (personas.generate)`,
    );
  }
  state.plan = drawPlan(
    input.sampled,
    library.map((p) => p.id),
    config.personasPerProblem,
    config.seed,
  );
  state.totalPersonasInLibrary = library.length;
  writeState(input.files.state, state);
}

/** The dataset's general dimensions, generated once; a failure stops the run (the records need them). */
export async function generalDimensionsOnce(input: SetupInput, deps: SetupDeps): Promise<void> {
  const { config, state } = input;
  if (deps.control.stopped !== null || state.generalDimensions !== null) return;
  try {
    state.generalDimensions = await generateGeneralDimensions(deps.ctx, {
      dataset: config.dataset ?? `local/${config.task}`,
      count: config.preferences.generalDimensions,
      problems: input.sampled.map((s) => s.problem),
      rng: rngFor(config.seed, 'general'),
    });
    writeState(input.files.state, state);
  } catch (error) {
    deps.control.fail(error, { stage_of: 'dataset' });
    deps.control.stop(
      'general_dimensions_failed',
      `the general dimensions could not be generated (see ${input.files.failures}); rerun to try again`,
    );
  }
}
