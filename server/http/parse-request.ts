import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import { jsonPath } from '../../shared/benchmark/issues.ts';

/** Parses part of a request; on failure sends a 400 naming each bad field and returns null. */
export function parseOrReply<S extends z.ZodType>(schema: S, value: unknown, reply: FastifyReply): z.infer<S> | null {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  if (!reply.sent) {
    void reply.code(400).send({
      error: 'invalid_payload',
      issues: parsed.error.issues.map((i) => ({ path: jsonPath(i.path), message: i.message })),
    });
  }
  return null;
}
