import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Config } from './config.ts';
import { healthRoutes } from './http/health-routes.ts';
import { personaRoutes } from './http/persona-routes.ts';
import { studyRoutes } from './http/study-routes.ts';
import { attachSocketIo } from './plugins/socket-io.ts';
import { registerStudyHandlers } from './realtime/study-handlers.ts';
import type { Storage } from './storage/storage.ts';

export interface AppDeps {
  config: Pick<Config, 'clientDir'>;
  storage: Storage;
  logger?: FastifyServerOptions['logger'];
}

/**
 * Builds the app without listening, so tests can use `app.inject()` or listen on port 0.
 * Everything the app serves is registered here, in one list.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  // Per-request lines are debug detail; at the default level the log shows start-up, warnings and failures.
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: 10 * 1024 * 1024,
    logController: new LogController({ disableRequestLogging: true }),
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.debug({ method: request.method, url: request.url, status: reply.statusCode, ms: reply.elapsedTime }, 'request');
  });

  app.setErrorHandler((error: { statusCode?: number; validation?: unknown }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) request.log.error({ err: error }, 'request failed');
    // Client errors (bad JSON body, too large) say what was wrong; server errors never leak exception text.
    void reply.code(status).send(
      status === 500 ? { error: 'internal', message: 'internal error' } : { error: 'invalid_request', message: (error as Error).message },
    );
  });

  await app.register(healthRoutes);
  await app.register(studyRoutes(deps.storage));
  await app.register(personaRoutes(deps.storage));

  const indexFile = join(deps.config.clientDir, 'index.html');
  const clientBuilt = existsSync(indexFile);
  if (clientBuilt) {
    await app.register(fastifyStatic, { root: deps.config.clientDir, wildcard: false });
  }
  app.setNotFoundHandler(async (request, reply) => {
    if (request.url.startsWith('/api/') || request.method !== 'GET') {
      return reply.code(404).send({ error: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` });
    }
    if (!clientBuilt) {
      return reply.code(503).type('text/plain').send('The browser app is not built. Run `npm run build` (npm start does it for you).');
    }
    // Client-side routes (/play/…, /rate/…) all load the single-page app.
    return reply.type('text/html').sendFile('index.html');
  });

  const io = attachSocketIo(app);
  registerStudyHandlers(io, deps.storage);
  return app;
}
