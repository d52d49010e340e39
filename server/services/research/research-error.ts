/** Why a researcher request was refused; the HTTP routes map each code to a status. */
export type ResearchErrorCode =
  | 'not_found'
  | 'unknown_model'
  | 'model_unavailable'
  | 'no_records'
  | 'run_in_progress'
  | 'not_running'
  | 'too_large'
  | 'upload_failed'
  | 'conflict'
  | 'unavailable';

/**
 * A refusal of a research service. Messages are written for people (what and where) and never carry exception
 * text; `details` holds structured extras such as the declared model names.
 */
export class ResearchError extends Error {
  constructor(
    readonly code: ResearchErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ResearchError';
  }
}
