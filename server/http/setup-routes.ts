import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../shared/errors.ts';
import { ERROR_RESPONSES } from '../../shared/schemas/api-common.ts';
import { IdentityResponseSchema, SetupStatusSchema } from '../../shared/schemas/api-auth.ts';
import { LoginBodySchema } from '../../shared/schemas/auth.ts';
import { createResearcher, login } from '../services/auth/accounts.ts';
import { setSessionCookie } from '../plugins/auth.ts';
import type { PeopleStorage } from '../storage/people-storage.ts';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * First-run setup: while no researcher account exists, a browser on this machine may create the first one, so a fresh
 * `npm start` is usable without the CLI. Refused from any other address and as soon as one account exists
 * (`prefdisco admin create` and PREFDISCO_ADMIN_* remain the way for servers).
 */
export function setupRoutes(options: { people: PeopleStorage; secureCookies: boolean }) {
  let busy: Promise<unknown> = Promise.resolve();
  return async (fastify: FastifyInstance): Promise<void> => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/api/auth/setup',
      { schema: { tags: ['auth'], response: { 200: SetupStatusSchema, ...ERROR_RESPONSES } } },
      async (request) => ({
        setupNeeded: (await options.people.countResearchers()) === 0,
        fromThisMachine: LOOPBACK.has(request.ip),
      }),
    );

    app.post(
      '/api/auth/setup',
      {
        config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
        schema: {
          tags: ['auth'],
          body: LoginBodySchema,
          response: { 200: IdentityResponseSchema, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        const body = request.body;
        if (!LOOPBACK.has(request.ip)) {
          throw new AppError('forbidden', 'the first account can only be created from the machine the server runs on');
        }
        // One setup at a time: the check and the creation must not interleave with another request's.
        const attempt = busy.then(async () => {
          if ((await options.people.countResearchers()) > 0) return null;
          await createResearcher(options.people, body.username, body.password);
          return login(options.people, body.username, body.password);
        });
        busy = attempt.catch(() => undefined);
        const result = await attempt;
        if (!result) throw new AppError('conflict', 'a researcher account already exists; sign in instead');
        setSessionCookie(reply, result.session, options.secureCookies);
        return { identity: result.identity };
      },
    );
  };
}
