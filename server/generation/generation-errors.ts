/** The steps of generating one persona or one (problem, persona) record; named in failures files. */
export type GenerationStage =
  | 'persona'
  | 'persona_coherence'
  | 'general_dimensions'
  | 'dimensions'
  | 'dedup'
  | 'preferences'
  | 'rubric'
  | 'model_call';

/** A step whose model output failed validation on every try (or a model call that failed for good). */
export class StepFailure extends Error {
  constructor(
    readonly stage: GenerationStage,
    message: string,
    /** Why each rejected output was rejected, e.g. "attempt 1: $.dimensions: expected 8 dimensions, got 6". */
    readonly issues: string[] = [],
  ) {
    super(message);
    this.name = 'StepFailure';
  }
}

/** The run cannot start or continue as asked (personas missing from the library, an unusable persona directory). */
export class GenerationSetupError extends Error {
  override name = 'GenerationSetupError';
}
