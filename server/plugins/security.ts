import type { IncomingMessage } from 'node:http';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../shared/errors.ts';
import { isOriginAllowed } from '../services/auth/origin-policy.ts';
import type { SharedRateLimits } from '../storage/rate-limit-storage.ts';
import { sharedRateLimitStore } from './shared-rate-limit-store.ts';

export interface SecurityOptions {
  /** Served over https: send HSTS and upgrade insecure requests. */
  secureCookies: boolean;
  /** Cross-origin pages allowed to call the API with credentials (PREFDISCO_ALLOWED_ORIGINS); normally empty. */
  allowedOrigins: readonly string[];
  /**
   * Where rate limits count when several nodes serve one database (PostgreSQL); closed with the app. Without it each
   * process counts in memory, which is exact for one process (SQLite).
   */
  sharedRateLimits?: SharedRateLimits | null;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
// A Host header is client input; only a plain host[:port] may be copied into the CSP.
const HOST_PATTERN = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/** WebSockets to this server only. `'self'` should cover ws/wss, but older Safari versions do not apply it. */
function socketSources(req: IncomingMessage): string {
  const host = req.headers.host ?? '';
  return HOST_PATTERN.test(host) ? `ws://${host} wss://${host}` : "'self'";
}

/**
 * Security headers (helmet, with a CSP fitted to the built Vite app), rate limiting (per route, opt-in through
 * `config.rateLimit`), and the origin policy for HTTP: a state-changing request from a foreign page is refused, so a
 * cookie can never be used by another site even where SameSite does not apply (old browsers, same-site subdomains).
 */
export async function registerSecurity(app: FastifyInstance, options: SecurityOptions): Promise<void> {
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        // MUI styles through emotion, which injects <style> elements at run time.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'", socketSources],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(options.secureCookies ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    // Over plain http (a laptop, a lab network) HSTS is meaningless and upgrading requests would break the app.
    strictTransportSecurity: options.secureCookies ? { maxAge: 180 * 24 * 60 * 60 } : false,
    crossOriginEmbedderPolicy: false,
    // Same rule as frame-ancestors 'none', for browsers that only know X-Frame-Options.
    frameguard: { action: 'deny' },
  });

  const shared = options.sharedRateLimits ?? null;
  await app.register(fastifyRateLimit, {
    global: false,
    ...(shared ? { store: sharedRateLimitStore(shared) } : {}),
    // Thrown by the plugin; the app's error handler (server/http/error-handler.ts) answers it as `rate_limited`.
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      error: 'rate_limited',
      message: `too many attempts; try again in ${context.after}`,
    }),
  });
  if (shared) app.addHook('onClose', async () => shared.close());

  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (origin === undefined) return;
    const allowed = isOriginAllowed(origin, request.headers.host, options.allowedOrigins);
    if (allowed && options.allowedOrigins.includes(origin)) {
      // A listed foreign origin (the same host never needs CORS headers) gets credentialed CORS.
      void reply
        .header('access-control-allow-origin', origin)
        .header('access-control-allow-credentials', 'true')
        .header('vary', 'Origin');
      if (request.method === 'OPTIONS' && request.headers['access-control-request-method']) {
        return reply
          .header('access-control-allow-methods', 'GET, POST, PUT, PATCH, DELETE')
          .header('access-control-allow-headers', 'content-type')
          .header('access-control-max-age', '600')
          .code(204)
          .send();
      }
    }
    if (!allowed && !SAFE_METHODS.has(request.method)) {
      throw new AppError('cross_origin', 'requests from other sites are refused');
    }
  });
}
