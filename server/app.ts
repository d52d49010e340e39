import fastifySwagger from '@fastify/swagger';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { buildServices } from './app-services.ts';
import {
  DEFAULT_MAX_CONNECTIONS_PER_IP,
  DEFAULT_REQUEST_TIMEOUT_MS,
  fastifyTrustProxy,
  type Config,
} from './config.ts';
import { agreementRoutes } from './http/agreement-routes.ts';
import { serveBrowserApp } from './http/browser-app.ts';
import { episodeRoutes } from './http/episode-routes.ts';
import { authRoutes, DEFAULT_AUTH_RATE_LIMITS, type AuthRateLimits } from './http/auth-routes.ts';
import { registerErrorHandler } from './http/error-handler.ts';
import { healthRoutes } from './http/health-routes.ts';
import { inviteRoutes } from './http/invite-routes.ts';
import { liveHealthRoutes } from './http/live-health-routes.ts';
import { liveSessionRoutes } from './http/live-session-routes.ts';
import { modelRoutes } from './http/model-routes.ts';
import { openApiRoutes, OPENAPI_INFO } from './http/openapi-routes.ts';
import { participantRoutes } from './http/participant-routes.ts';
import { consentRoutes } from './http/consent-routes.ts';
import { participantDeletionRoutes } from './http/participant-deletion-routes.ts';
import { personaRoutes } from './http/persona-routes.ts';
import { previewRoutes } from './http/preview-routes.ts';
import { promptPackRoutes } from './http/prompt-pack-routes.ts';
import { researchExportRoutes } from './http/research-export-routes.ts';
import { researchImportRoutes } from './http/research-import-routes.ts';
import { benchmarkImports } from './services/benchmark/benchmark-imports.ts';
import { researchRoutes } from './http/research-routes.ts';
import { setupRoutes } from './http/setup-routes.ts';
import { studyAccessRoutes } from './http/study-access-routes.ts';
import { registerAuditOnSend } from './http/audit-on-send.ts';
import { decorateStudyRoles } from './http/study-guards.ts';
import { studyRoutes } from './http/study-routes.ts';
import { studyWorkRoutes } from './http/study-work-routes.ts';
import type { LiveNode } from './services/live/episode-ownership.ts';
import type { ModelProvider } from './models/model-provider.ts';
import { registerAuth } from './plugins/auth.ts';
import { registerSecurity } from './plugins/security.ts';
import { DEFAULT_BODY_LIMIT, registerJsonParser } from './plugins/body-limits.ts';
import { limitConnectionsPerAddress, warnIfFewDescriptors } from './plugins/connection-limits.ts';
import { crossNodeAdapter } from './plugins/postgres-socket-adapter.ts';
import { PostgresRateLimits } from './storage/postgres/postgres-rate-limits.ts';
import { attachSocketIo } from './plugins/socket-io.ts';
import { registerPlayHandlers, socketBroadcast } from './realtime/play-handlers.ts';
import { registerPresence } from './realtime/presence-handlers.ts';
import { PresenceTracker } from './services/live/presence.ts';
import { registerRatingHandlers } from './realtime/rating-handlers.ts';
import { attachSocketAuth } from './realtime/socket-auth.ts';
import { registerStudyHandlers } from './realtime/study-handlers.ts';
import { ParticipantTabs, registerTabHandlers } from './realtime/tab-handlers.ts';
import { handOverEpisodeOf } from './services/episode-handover.ts';
import type { StudyGate } from './services/auth/join-study.ts';
import { resolveCookieSecret } from './services/auth/sessions.ts';
import { SetupToken } from './services/auth/setup-token.ts';
import type { LiveSessions } from './services/live/live-sessions.ts';
import type { PlayQueue } from './services/live/live-types.ts';
import { agreementReports } from './services/agreement/report-pool.ts';
import type { JobHost } from './services/jobs/job-host.ts';
import type { Logger } from './services/logger.ts';
import type { BatchRuns } from './services/research/batch-runs.ts';
import { participantIntro } from './services/studies/participant-intro.ts';
import type { ModelLookup } from './services/research/run-options.ts';
import type { Storage } from './storage/storage.ts';

export interface AppDeps {
  config: Pick<Config, 'clientDir'> &
    Partial<
      Pick<
        Config,
        | 'cookieSecret'
        | 'secureCookies'
        | 'trustProxy'
        | 'allowedOrigins'
        | 'runsDir'
        | 'promptsDir'
        | 'modelsFile'
        | 'database'
        | 'maxConnectionsPerIp'
        | 'requestTimeoutMs'
      >
    >;
  storage: Storage;
  logger?: FastifyServerOptions['logger'];
  /** Whether a study takes participants now; default: its live-study status (services/studies, open when never configured). */
  studyGate?: StudyGate;
  /** Live play's models and queue; default: the app's models and the studies' play queue (tests swap them). */
  live?: { model(name: string): ModelProvider; queue: PlayQueue; storageRetryWindowMs?: number };
  /** Whether a model name is declared (settings may only name declared models); default: those in `models`. */
  isDeclaredModel?: (name: string) => boolean;
  /** The declared models (live play, batch runs, settings); default: config.modelsFile (else only scripted). */
  models?: ModelLookup;
  /** The research worker thread background jobs run on (main.ts); default: they run on the app's own thread. */
  researchWorker?: (log: Logger) => JobHost;
  /** Per-IP limits on sign-in and joining; tests and benchmarks raise them. */
  rateLimits?: Partial<AuthRateLimits>;
  /** This process as a node of the database's servers (main.ts); default: the only one (live/episode-ownership.ts). */
  node?: LiveNode;
}

/**
 * Builds the app without listening, so tests can use `app.inject()` or listen on port 0. The services come from
 * app-services.ts; everything the app serves is registered here, in one list.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  // Per-request lines are debug detail; at the default level the log shows start-up, warnings and failures.
  const requestTimeoutMs = deps.config.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const maxConnectionsPerIp = deps.config.maxConnectionsPerIp ?? DEFAULT_MAX_CONNECTIONS_PER_IP;
  const app = Fastify({
    logger: deps.logger ?? false,
    // Small by default; the routes that take more name their own limit (plugins/body-limits.ts).
    bodyLimit: DEFAULT_BODY_LIMIT,
    // A request must arrive whole in time (headers sooner), so slow bodies cannot hold sockets open for ever.
    requestTimeout: requestTimeoutMs,
    keepAliveTimeout: 10_000,
    // Node checks the timeouts above on this interval (default 30 s), so a short timeout is kept to within a second.
    http: { connectionsCheckingInterval: Math.min(1000, requestTimeoutMs) },
    logController: new LogController({ disableRequestLogging: true }),
    // Behind a reverse proxy, request.ip (rate limits) must be the client's address from X-Forwarded-For.
    trustProxy: fastifyTrustProxy(deps.config.trustProxy ?? false),
  });
  app.server.headersTimeout = Math.min(15_000, requestTimeoutMs);
  limitConnectionsPerAddress(app.server, maxConnectionsPerIp);
  warnIfFewDescriptors(app.log, maxConnectionsPerIp);
  registerJsonParser(app);
  // Every route declares its contract with shared zod schemas: requests are validated on the way in, and responses
  // on the way out (a response that breaks its schema is a bug, answered 500 and logged).
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  app.addHook('onResponse', async (request, reply) => {
    request.log.debug(
      { method: request.method, url: request.url, status: reply.statusCode, ms: reply.elapsedTime },
      'request',
    );
  });

  // Security plugins first: headers, rate limits, origin policy, then the session cookie → request.identity.
  const security = {
    secureCookies: deps.config.secureCookies ?? false,
    allowedOrigins: deps.config.allowedOrigins ?? [],
  };
  await registerSecurity(app, {
    ...security,
    // Several nodes may serve a PostgreSQL database: they count rate limits together, else each would allow the limit.
    sharedRateLimits:
      deps.config.database?.kind === 'postgres' ? PostgresRateLimits.open(deps.config.database.url) : null,
  });
  // Before any route, so the OpenAPI document sees every one (served at /api/openapi.json).
  await app.register(fastifySwagger, { openapi: OPENAPI_INFO, transform: jsonSchemaTransform });
  const io = attachSocketIo(app, await crossNodeAdapter(deps.config.database, app.log));
  // Participants' browsers connected now, for the live monitor (memory only; with several nodes, asked of each).
  const presence = registerPresence(io, new PresenceTracker(), app.log);
  const services = await buildServices(deps, { log: app.log, broadcast: socketBroadcast(io) });
  const { work, batchRuns, live } = services;
  app.decorate('batchRuns', batchRuns);
  app.decorate('live', live);
  // Runs stop with their progress stored and live episodes stay 'running' in storage; both resume at the next start.
  app.addHook('preClose', async () => batchRuns.close());
  app.addHook('preClose', async () => live.close());
  app.addHook('preClose', async () => services.jobs.close());
  // Agreement reports take seconds of CPU: on a pool thread when the app knows its database file (the server), else here.
  const reports = agreementReports(deps.storage, deps.config.database, app.log);
  app.addHook('preClose', async () => reports.close());
  // Benchmark imports parse and write up to 512 MB: on a pool thread likewise (benchmark-imports.ts).
  const imports = benchmarkImports(deps.storage, deps.config.database, app.log);
  app.addHook('preClose', async () => imports.close());
  await registerAuth(app, {
    people: deps.storage.people,
    cookieSecret: await resolveCookieSecret(deps.storage.people, deps.config.cookieSecret),
  });

  // First-run setup's one-time token, printed by main.ts inside the setup link (services/auth/setup-token.ts).
  const setupToken = new SetupToken();
  app.decorate('setupToken', setupToken);
  // Researchers' roles per study, read by every study guard (http/study-guards.ts).
  decorateStudyRoles(app, deps.storage);
  registerAuditOnSend(app);

  const routes = [
    healthRoutes,
    openApiRoutes,
    setupRoutes({
      people: deps.storage.people,
      access: deps.storage.access,
      secureCookies: security.secureCookies,
      token: setupToken,
    }),
    authRoutes({
      people: deps.storage.people,
      studyGate: deps.studyGate ?? work.gate,
      requireProlificIdFormat: async (studyId) => (await work.getSettings(studyId))?.requireProlificIdFormat ?? false,
      participantIntro: async (studyId, role) => {
        const { consentText, instructions } = participantIntro(await work.getSettings(studyId), role);
        return { consentText, instructions };
      },
      secureCookies: security.secureCookies,
      rateLimits: { ...DEFAULT_AUTH_RATE_LIMITS, ...deps.rateLimits },
    }),
    studyRoutes(deps.storage),
    studyAccessRoutes(deps.storage),
    personaRoutes(deps.storage),
    studyWorkRoutes(work, deps.storage),
    inviteRoutes(deps.storage),
    participantRoutes(deps.storage),
    participantDeletionRoutes({ storage: deps.storage, live, secureCookies: security.secureCookies }),
    previewRoutes(deps.storage),
    consentRoutes(deps.storage),
    researchImportRoutes(deps.storage, imports),
    researchRoutes(deps.storage, batchRuns),
    episodeRoutes(deps.storage, presence),
    researchExportRoutes(deps.storage),
    agreementRoutes(reports, deps.storage),
    modelRoutes(services.models),
    promptPackRoutes(services.promptPacks),
    liveHealthRoutes(deps.storage, services.liveModel),
    liveSessionRoutes(deps.storage, live),
  ];
  for (const plugin of routes) await app.register(plugin);

  await serveBrowserApp(app, {
    clientDir: deps.config.clientDir,
    findInvite: (code) => deps.storage.people.findInviteLink(code),
    studyGate: deps.studyGate ?? work.gate,
    getSettings: (studyId) => work.getSettings(studyId),
  });

  attachSocketAuth(io, {
    people: deps.storage.people,
    allowedOrigins: security.allowedOrigins,
    cookies: app,
    log: app.log,
  });
  registerStudyHandlers(io, deps.storage, app.log);
  registerRatingHandlers(io, work, app.log);
  registerPlayHandlers(io, live, deps.storage, app.log);
  // One working tab per participant: a second tab asks before it takes the task (shared/protocol/tabs.ts).
  const node = deps.node;
  registerTabHandlers(
    io,
    new ParticipantTabs(),
    app.log,
    node?.shared ? (participantId) => handOverEpisodeOf(deps.storage, node.id, participantId) : undefined,
  );
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Live play: episodes with a person in the user seat. */
    live: LiveSessions;
    /** Batch runs started from the researcher's browser. */
    batchRuns: BatchRuns;
    /** First-run setup's one-time token: only main.ts (the console) and tests read it. */
    setupToken: SetupToken;
  }
}
