import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';

/** Media types of the files the API streams (exports, agreement tables, run results). */
export const FILE_TYPES = {
  csv: 'text/csv; charset=utf-8; header=present',
  jsonl: 'application/x-ndjson; charset=utf-8',
} as const;

/**
 * The 200 response of a route that streams a file: described per media type for the OpenAPI document. A stream is
 * never passed through a serializer, so the schema only documents the body (text, one line per row).
 */
export function fileResponse(description: string, ...formats: (keyof typeof FILE_TYPES)[]) {
  const body = { schema: z.string().describe('the file, streamed') };
  return {
    description,
    content: Object.fromEntries(formats.map((f) => [FILE_TYPES[f].split(';')[0] ?? f, body])),
  };
}

/** Sends a file as a download. The typed reply of a route only takes its JSON shapes; a stream bypasses them. */
export function sendFile(reply: FastifyReply, file: { type: string; name: string; stream: Readable }): FastifyReply {
  return reply.type(file.type).header('content-disposition', `attachment; filename="${file.name}"`).send(file.stream);
}
