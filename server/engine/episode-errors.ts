/** An episode that could not be completed; recorded as failed with its stage and reason, never silently skipped. */
export class EpisodeFailure extends Error {
  constructor(
    readonly stage: 'assistant' | 'user' | 'judge' | 'correctness' | 'internal',
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'EpisodeFailure';
  }
}

/** The episode was cancelled (Ctrl-C, a closed session): neither completed nor failed; a rerun does it again. */
export class EpisodeAbortedError extends Error {
  constructor() {
    super('episode aborted');
    this.name = 'EpisodeAbortedError';
  }
}
