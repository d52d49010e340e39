import type { z } from 'zod';
import { jsonPath } from '../../shared/benchmark/issues.ts';
import type { Ack } from '../../shared/protocol/acks.ts';
import { StorageError } from '../storage/errors.ts';

/**
 * Wraps a socket request handler: parses the payload with its schema, calls the handler, and always answers with an
 * Ack. A client that sends no ack callback, or garbage, cannot crash the server or get exception text back.
 */
export function guardedAck<S extends z.ZodType, T>(schema: S, handler: (payload: z.infer<S>) => Promise<T>) {
  return (payload: unknown, ack: unknown): void => {
    if (typeof ack !== 'function') return;
    const reply = ack as (result: Ack<T>) => void;
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      reply({ ok: false, error: 'invalid_payload', issues: parsed.error.issues.map((i) => ({ path: jsonPath(i.path), message: i.message })) });
      return;
    }
    handler(parsed.data).then(
      (data) => reply({ ok: true, data }),
      (error: unknown) => {
        if (error instanceof StorageError) {
          reply({ ok: false, error: error.code === 'invalid' ? 'invalid_payload' : error.code });
        } else {
          reply({ ok: false, error: 'internal' });
        }
      },
    );
  };
}
