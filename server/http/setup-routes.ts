import type { FastifyInstance } from 'fastify';
import { LoginBodySchema } from '../../shared/schemas/auth.ts';
import { createResearcher, login } from '../services/auth/accounts.ts';
import { AuthError } from '../services/auth/auth-error.ts';
import { setSessionCookie } from '../plugins/auth.ts';
import type { PeopleStorage } from '../storage/people-storage.ts';
import { parseOrReply } from './parse-request.ts';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * First-run setup: while no researcher account exists, a browser on this machine may create the first one, so a fresh
 * `npm start` is usable without the CLI. Refused from any other address and as soon as one account exists
 * (`prefdisco admin create` and PREFDISCO_ADMIN_* remain the way for servers).
 */
export function setupRoutes(options: { people: PeopleStorage; secureCookies: boolean }) {
  let busy: Promise<unknown> = Promise.resolve();
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/api/auth/setup', async (request) => ({
      setupNeeded: (await options.people.countResearchers()) === 0,
      fromThisMachine: LOOPBACK.has(request.ip),
    }));

    app.post(
      '/api/auth/setup',
      { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } },
      async (request, reply) => {
        const body = parseOrReply(LoginBodySchema, request.body, reply);
        if (!body) return reply;
        if (!LOOPBACK.has(request.ip)) {
          return reply
            .code(403)
            .send({
              error: 'forbidden',
              message: 'the first account can only be created from the machine the server runs on',
            });
        }
        // One setup at a time: the check and the creation must not interleave with another request's.
        const attempt = busy.then(async () => {
          if ((await options.people.countResearchers()) > 0) return null;
          await createResearcher(options.people, body.username, body.password);
          return login(options.people, body.username, body.password);
        });
        busy = attempt.catch(() => undefined);
        try {
          const result = await attempt;
          if (!result)
            return reply
              .code(409)
              .send({ error: 'conflict', message: 'a researcher account already exists; sign in instead' });
          setSessionCookie(reply, result.session, options.secureCookies);
          return { identity: result.identity };
        } catch (error) {
          if (error instanceof AuthError) return reply.code(400).send({ error: error.code, message: error.message });
          throw error;
        }
      },
    );
  };
}
