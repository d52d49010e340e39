import type { FastifyInstance } from 'fastify';

/** Study data is not for shared caches or the browser's disk cache: every route of the calling plugin says so. */
export function noStore(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply) => {
    void reply.header('cache-control', 'no-store');
  });
}
