import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Config } from './config.ts';
import { healthRoutes } from './http/health-routes.ts';
import { setupRoutes } from './http/setup-routes.ts';
import { personaRoutes } from './http/persona-routes.ts';
import { studyRoutes } from './http/study-routes.ts';
import { attachSocketIo } from './plugins/socket-io.ts';
import { authRoutes, DEFAULT_AUTH_RATE_LIMITS, type AuthRateLimits } from './http/auth-routes.ts';
import { registerAuth } from './plugins/auth.ts';
import { registerSecurity } from './plugins/security.ts';
import { attachSocketAuth } from './realtime/socket-auth.ts';
import type { StudyGate } from './services/auth/join-study.ts';
import { resolveCookieSecret } from './services/auth/sessions.ts';
import { registerStudyHandlers } from './realtime/study-handlers.ts';
import { registerRatingHandlers } from './realtime/rating-handlers.ts';
import { studyWorkRoutes } from './http/study-work-routes.ts';
import { inviteRoutes } from './http/invite-routes.ts';
import { participantRoutes } from './http/participant-routes.ts';
import { createStudyWork } from './services/studies/study-work-service.ts';
import { registerPlayHandlers, socketBroadcast } from './realtime/play-handlers.ts';
import { LiveSessions } from './services/live/live-sessions.ts';
import type { PlayQueue } from './services/live/live-types.ts';
import type { ModelProvider } from './models/model-provider.ts';
import type { Storage } from './storage/storage.ts';
import { PROJECT_ROOT, secretFromEnv } from './config.ts';
import { researchRoutes } from './http/research-routes.ts';
import { researchImportRoutes } from './http/research-import-routes.ts';
import { researchExportRoutes } from './http/research-export-routes.ts';
import { agreementRoutes } from './http/agreement-routes.ts';
import { modelRoutes } from './http/model-routes.ts';
import { liveHealthRoutes } from './http/live-health-routes.ts';
import { BatchRuns } from './services/research/batch-runs.ts';
import { declaredModels } from './services/research/declared-models.ts';
import type { ModelLookup } from './services/research/run-options.ts';

export interface AppDeps {
  config: Pick<Config, 'clientDir'> &
    Partial<
      Pick<Config, 'cookieSecret' | 'secureCookies' | 'trustProxy' | 'allowedOrigins' | 'runsDir' | 'modelsFile'>
    >;
  storage: Storage;
  logger?: FastifyServerOptions['logger'];
  /** Whether a study takes participants now; default: its live-study status (services/studies, open when never configured). */
  studyGate?: StudyGate;
  /** Live play's models and queue; default: the app's models and the studies' play queue (tests swap them). */
  live?: { model(name: string): ModelProvider; queue: PlayQueue };
  /** Whether a model name is declared (settings may only name declared models); default: those in `models`. */
  isDeclaredModel?: (name: string) => boolean;
  /** The declared models (live play, batch runs, settings); default: config.modelsFile (else only scripted). */
  models?: ModelLookup;
  /** Per-IP limits on sign-in and joining; tests and benchmarks raise them. */
  rateLimits?: Partial<AuthRateLimits>;
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
    // Behind a reverse proxy, request.ip (rate limits) must be the client's address from X-Forwarded-For.
    trustProxy: deps.config.trustProxy ?? false,
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.debug(
      { method: request.method, url: request.url, status: reply.statusCode, ms: reply.elapsedTime },
      'request',
    );
  });

  app.setErrorHandler((error: { statusCode?: number; validation?: unknown }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 429) return void reply.code(429).send({ error: 'rate_limited', message: (error as Error).message });
    if (status === 500) request.log.error({ err: error }, 'request failed');
    // Client errors (bad JSON body, too large) say what was wrong; server errors never leak exception text.
    void reply
      .code(status)
      .send(
        status === 500
          ? { error: 'internal', message: 'internal error' }
          : { error: 'invalid_request', message: (error as Error).message },
      );
  });

  // Security plugins first: headers, rate limits, origin policy, then the session cookie → request.identity.
  const security = {
    secureCookies: deps.config.secureCookies ?? false,
    allowedOrigins: deps.config.allowedOrigins ?? [],
  };
  await registerSecurity(app, security);
  // One model registry for the whole app, so each model's concurrency limit and spend cap hold across live play,
  // browser-started batch runs and study settings.
  const models = deps.models ?? declaredModels(deps.config.modelsFile, (v) => secretFromEnv(v));
  const work = createStudyWork({
    storage: deps.storage,
    isDeclaredModel: deps.isDeclaredModel ?? ((name) => models.names().includes(name)),
  });
  await registerAuth(app, {
    people: deps.storage.people,
    cookieSecret: await resolveCookieSecret(deps.storage.people, deps.config.cookieSecret),
  });

  await app.register(healthRoutes);
  await app.register(setupRoutes({ people: deps.storage.people, secureCookies: security.secureCookies }));
  await app.register(
    authRoutes({
      people: deps.storage.people,
      studyGate: deps.studyGate ?? work.gate,
      participantIntro: async (studyId, role) => {
        const settings = await work.getSettings(studyId);
        return { consentText: settings?.consentText ?? '', instructions: settings?.instructions[role] ?? '' };
      },
      secureCookies: security.secureCookies,
      rateLimits: { ...DEFAULT_AUTH_RATE_LIMITS, ...deps.rateLimits },
    }),
  );
  await app.register(studyRoutes(deps.storage));
  await app.register(personaRoutes(deps.storage));
  await app.register(studyWorkRoutes(work));
  await app.register(inviteRoutes(deps.storage));
  await app.register(participantRoutes(deps.storage));
  // Researcher API (docs/researcher-api.md). Runs a crashed process left 'running' are marked interrupted; running ones
  // are stopped before close, with their progress stored, and resume when started again with the same options.
  const batchRuns = new BatchRuns({
    storage: deps.storage,
    models,
    runsDir: deps.config.runsDir ?? join(PROJECT_ROOT, 'data', 'runs'),
    log: { info: (m) => app.log.info(m), error: (m) => app.log.error(m) },
  });
  await batchRuns.recover();
  app.decorate('batchRuns', batchRuns);
  app.addHook('preClose', async () => batchRuns.close());
  await app.register(researchImportRoutes(deps.storage));
  await app.register(researchRoutes(deps.storage, batchRuns));
  await app.register(researchExportRoutes(deps.storage));
  await app.register(agreementRoutes(deps.storage));
  await app.register(modelRoutes(models));

  const indexFile = join(deps.config.clientDir, 'index.html');
  const clientBuilt = existsSync(indexFile);
  if (clientBuilt) {
    await app.register(fastifyStatic, { root: deps.config.clientDir, wildcard: false });
  }
  app.setNotFoundHandler(async (request, reply) => {
    if (request.url.startsWith('/api/') || request.method !== 'GET') {
      return reply
        .code(404)
        .send({ error: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` });
    }
    if (!clientBuilt) {
      return reply
        .code(503)
        .type('text/plain')
        .send('The browser app is not built. Run `npm run build` (npm start does it for you).');
    }
    // Client-side routes (/play/…, /rate/…) all load the single-page app.
    return reply.type('text/html').sendFile('index.html');
  });

  const io = attachSocketIo(app);
  attachSocketAuth(io, { people: deps.storage.people, allowedOrigins: security.allowedOrigins, cookies: app });
  registerStudyHandlers(io, deps.storage);
  registerRatingHandlers(io, work);
  const liveModel = deps.live?.model ?? ((name: string) => models.get(name));
  await app.register(liveHealthRoutes(deps.storage, liveModel));
  const live = new LiveSessions({
    storage: deps.storage,
    model: liveModel,
    queue: deps.live?.queue ?? work.playQueue,
    broadcast: socketBroadcast(io),
    log: { info: (m) => app.log.info(m), error: (m) => app.log.error(m) },
    // Live answers and their simulated twins go to the study's raters (blinded) as soon as they exist.
    onAnswered: async (studyId, episodeId) => {
      await work.addRatingCandidates(studyId, [episodeId]);
    },
  });
  registerPlayHandlers(io, live);
  app.decorate('live', live);
  // Stop live episodes before the sockets close; they stay 'running' in storage and resume at the next start.
  app.addHook('preClose', async () => live.close());
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Live play: episodes with a person in the user seat. */
    live: LiveSessions;
    /** Batch runs started from the researcher's browser. */
    batchRuns: BatchRuns;
  }
}
