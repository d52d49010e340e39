import type { FastifyInstance, FastifyRequest } from 'fastify';

const pending = new WeakMap<FastifyRequest, () => Promise<void>>();

/**
 * Records an audit entry for a download or a read only when its answer really goes out: a request can still fail
 * after its handler began (a stray body after a GET is read as a malformed next request, which Node answers 400 on
 * the same connection and closes it while the handler awaits storage), and the log must not claim that data left the
 * app when it did not. `record` runs in `onSend` of a 2xx answer on a connection that is still open.
 */
export function auditWhenSent(request: FastifyRequest, record: () => Promise<void>): void {
  pending.set(request, record);
}

/** The one `onSend` hook behind `auditWhenSent`; registered in app.ts before the routes. */
export function registerAuditOnSend(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const record = pending.get(request);
    if (record) {
      pending.delete(request);
      // A connection the server already gave up on (Node answered a malformed request after this one on it with 400
      // and closed it) will not carry this answer either.
      const gone = request.raw.socket?.destroyed === true;
      if (reply.statusCode >= 200 && reply.statusCode < 300 && !gone) await record();
    }
    return payload;
  });
}
