import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../shared/errors.ts';
import { ERROR_RESPONSES } from '../../shared/schemas/api-common.ts';
import { IdentityResponseSchema, SetupBodySchema, SetupStatusSchema } from '../../shared/schemas/api-auth.ts';
import { createResearcher, login } from '../services/auth/accounts.ts';
import type { SetupToken } from '../services/auth/setup-token.ts';
import { setSessionCookie } from '../plugins/auth.ts';
import type { PeopleStorage } from '../storage/people-storage.ts';
import type { StudyAccessStorage } from '../storage/study-access-storage.ts';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);
/** Headers a proxy adds; a browser talking to the server directly sends none of them. */
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-real-ip'] as const;

function isLoopbackName(hostOrOrigin: string, asOrigin: boolean): boolean {
  try {
    const url = new URL(asOrigin ? hostOrOrigin : `http://${hostOrOrigin}`);
    return LOOPBACK_NAMES.has(url.hostname);
  } catch {
    return false;
  }
}

/**
 * A browser on the server's own machine, talking to it directly: the TCP peer is loopback (not only `request.ip`,
 * which a trusted proxy's X-Forwarded-For sets), no proxy forwarded the request, and the page's Host and Origin are
 * loopback names, which a DNS-rebinding page (a foreign name resolving to 127.0.0.1) cannot claim.
 */
function fromThisMachine(request: FastifyRequest): boolean {
  if (!LOOPBACK.has(request.socket.remoteAddress ?? '') || !LOOPBACK.has(request.ip)) return false;
  if (FORWARDING_HEADERS.some((name) => request.headers[name] !== undefined)) return false;
  const { host, origin } = request.headers;
  if (host === undefined || !isLoopbackName(host, false)) return false;
  return origin === undefined || isLoopbackName(origin, true);
}

/**
 * First-run setup: while no researcher account exists, a browser on this machine may create the first one, so a fresh
 * `npm start` is usable without the CLI. It needs the one-time token of the setup link the server printed on its
 * console (setup-token.ts) on top of being on this machine; refused as soon as one account exists
 * (`prefdisco admin create` and PREFDISCO_ADMIN_* remain the way for servers).
 */
export function setupRoutes(options: {
  people: PeopleStorage;
  access: StudyAccessStorage;
  secureCookies: boolean;
  token: SetupToken;
}) {
  let busy: Promise<unknown> = Promise.resolve();
  return async (fastify: FastifyInstance): Promise<void> => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/api/auth/setup',
      { schema: { tags: ['auth'], response: { 200: SetupStatusSchema, ...ERROR_RESPONSES } } },
      async (request) => ({
        setupNeeded: (await options.people.countResearchers()) === 0,
        fromThisMachine: fromThisMachine(request),
      }),
    );

    app.post(
      '/api/auth/setup',
      {
        config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
        schema: {
          tags: ['auth'],
          body: SetupBodySchema,
          response: { 200: IdentityResponseSchema, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        const body = request.body;
        if (!fromThisMachine(request)) {
          throw new AppError(
            'forbidden',
            'the first account can only be created in a browser on the machine the server runs on, at http://localhost',
          );
        }
        if (options.token.spent) throw new AppError('conflict', 'a researcher account already exists; sign in instead');
        if (!options.token.matches(body.setupToken)) {
          throw new AppError(
            'forbidden',
            'this page needs the setup link the server printed on its console when it started (it ends in #token=…)',
          );
        }
        // One setup at a time: the check and the creation must not interleave with another request's.
        const attempt = busy.then(async () => {
          if ((await options.people.countResearchers()) > 0) return null;
          await createResearcher(options, body.username, body.password);
          options.token.spend();
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
