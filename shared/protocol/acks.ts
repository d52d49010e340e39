/**
 * Every socket request is answered with an ack of this shape. Error codes are closed; raw exception text never
 * reaches a client.
 */
export const ACK_ERROR_CODES = [
  'invalid_payload',
  'payload_too_large',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'not_your_turn',
  'episode_closed',
  'study_closed',
  'no_work',
  'unsupported_protocol',
  'rate_limited',
  'internal',
] as const;
export type AckErrorCode = (typeof ACK_ERROR_CODES)[number];

export interface AckIssue {
  path: string;
  message: string;
}

export type Ack<T> = { ok: true; data: T } | { ok: false; error: AckErrorCode; issues?: AckIssue[] };
