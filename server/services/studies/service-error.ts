import type { AckErrorCode, AckIssue } from '../../../shared/protocol/acks.ts';

/**
 * A refusal of a studies service, with a closed code the transport passes on (guardedAck reads `ackCode` and
 * `issues`; HTTP routes map the code to a status). Messages are written for people and never contain exception text.
 */
export class ServiceError extends Error {
  constructor(
    readonly ackCode: AckErrorCode,
    message: string,
    readonly issues?: AckIssue[],
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}
