import type { z } from 'zod';
import { jsonPath } from '../../shared/benchmark/issues.ts';
import {
  AppError,
  isErrorCode,
  type ErrorCode as AckErrorCode,
  type ErrorIssue as AckIssue,
} from '../../shared/errors.ts';
import type { Ack } from '../../shared/protocol/acks.ts';

/**
 * A refusal a service wants the client to see: any error with an `ackCode` from the closed list is answered with that
 * code and the error's own (written-for-people) message; everything else is 'internal', with no exception text.
 */
export interface AckableError {
  readonly ackCode: AckErrorCode;
  readonly message: string;
}

function ackCodeOf(error: unknown): AckErrorCode | null {
  const code = (error as { ackCode?: unknown } | null)?.ackCode;
  return isErrorCode(code) ? code : null;
}

/** Field-level issues an ackable error carries (e.g. which rubric criterion lacks a score), if it has any. */
function issuesOf(error: unknown): AckIssue[] | null {
  const issues = (error as { issues?: unknown } | null)?.issues;
  if (!Array.isArray(issues) || issues.length === 0) return null;
  return issues.every(
    (i: unknown) => typeof (i as AckIssue | null)?.path === 'string' && typeof (i as AckIssue).message === 'string',
  )
    ? (issues as AckIssue[])
    : null;
}

/**
 * Wraps a socket request handler: parses the payload with its schema, calls the handler, and always answers with an
 * Ack. A client that sends no ack callback, or garbage, cannot crash the server or get exception text back.
 */
export function guardedAck<S extends z.ZodType, T>(schema: S, handler: (payload: z.infer<S>) => Promise<T>) {
  return (...args: unknown[]): void => {
    // Socket.IO passes the ack callback as the last argument, however many come before it. A request sent with no
    // payload or with extra arguments must still be answered (found by fuzzing: the client waited forever).
    const ack = args[args.length - 1];
    if (typeof ack !== 'function') return;
    const reply = ack as (result: Ack<T>) => void;
    if (args.length !== 2) {
      reply({
        ok: false,
        error: 'invalid_payload',
        issues: [{ path: '$', message: `expected one payload before the ack, got ${args.length - 1}` }],
      });
      return;
    }
    const parsed = schema.safeParse(args[0]);
    if (!parsed.success) {
      reply({
        ok: false,
        error: 'invalid_payload',
        issues: parsed.error.issues.map((i) => ({ path: jsonPath(i.path), message: i.message })),
      });
      return;
    }
    handler(parsed.data).then(
      (data) => reply({ ok: true, data }),
      (error: unknown) => {
        const code = error instanceof AppError ? error.code : ackCodeOf(error);
        if (code) {
          reply({
            ok: false,
            error: code,
            issues: issuesOf(error) ?? [{ path: '$', message: (error as Error).message }],
          });
        } else {
          reply({ ok: false, error: 'internal' });
        }
      },
    );
  };
}
