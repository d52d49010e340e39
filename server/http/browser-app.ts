import { existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../shared/errors.ts';
import { joinShell, type JoinShellDeps } from './join-shell.ts';

/**
 * Files under assets/ carry a content hash in their name (Vite): a new build makes new names, so browsers may keep
 * them for a year without asking. Everything else (index.html, which names the current hashes) is revalidated on
 * every load (ETag, 304), so a release reaches people at their next page load.
 */
function cacheControlFor(clientDir: string, path: string): string {
  return relative(clientDir, path).startsWith(`assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/**
 * Serves the browser app (registered by app.ts after every route): the built files, the single page for client-side
 * routes, an invitation link's consent in the page itself, and the one answer for an unknown API route.
 */
export async function serveBrowserApp(app: FastifyInstance, deps: JoinShellDeps): Promise<void> {
  const indexFile = join(deps.clientDir, 'index.html');
  const clientBuilt = existsSync(indexFile);
  if (clientBuilt) {
    await app.register(fastifyStatic, {
      root: deps.clientDir,
      wildcard: false,
      // The .br/.gz copies made at build (vite.config.ts), chosen by Accept-Encoding, with Vary: accept-encoding.
      preCompressed: true,
      setHeaders: (reply, path) => void reply.header('cache-control', cacheControlFor(deps.clientDir, path)),
    });
  }
  const joinShellFor = joinShell(deps);
  app.setNotFoundHandler(async (request, reply) => {
    if (request.url.startsWith('/api/') || request.method !== 'GET') {
      const refusal = new AppError('not_found', `no route ${request.method} ${request.url.split('?')[0]}`);
      return reply.code(refusal.status).send(refusal.toBody());
    }
    if (!clientBuilt) {
      return reply
        .code(503)
        .type('text/plain')
        .send('The browser app is not built. Run `npm run build` (npm start does it for you).');
    }
    // An invitation link whose first step is consent gets it in the page itself (http/join-shell.ts); not cached,
    // as it is this study's text now.
    const withConsent = await joinShellFor(request);
    if (withConsent !== null)
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(withConsent);
    // Client-side routes (/play/…, /rate/…) all load the single-page app.
    return reply.type('text/html').sendFile('index.html');
  });
}
