import type { FastifyRequest } from 'fastify';
import { AppError } from '../../shared/errors.ts';
import type { Identity, ParticipantRole } from '../../shared/schemas/identity.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth plugin (server/plugins/auth.ts) from the signed session cookie; null when there is none. */
    identity: Identity | null;
  }
}

/**
 * Route guards, always used as `onRequest` (`researcherOnly`, `participantOnly`): who may call is decided before the
 * body is read or validated, so a stranger with a malformed body hears 401, not what is wrong with the body. Every
 * route states who may call it; ownership (this participant's own assignment, this researcher's study) is checked
 * again in the service with the identity.
 */
export async function requireResearcher(request: FastifyRequest): Promise<void> {
  if (!request.identity) throw new AppError('unauthenticated', 'log in first');
  if (request.identity.kind !== 'researcher') throw new AppError('forbidden', 'researchers only');
}

export function requireParticipant(role?: ParticipantRole) {
  return async (request: FastifyRequest): Promise<void> => {
    const id = request.identity;
    if (!id) throw new AppError('unauthenticated', 'open your invitation link first');
    if (id.kind !== 'participant' || (role && id.role !== role)) {
      throw new AppError('forbidden', role ? `${role}s only` : 'participants only');
    }
  };
}

/** Researchers only, checked before the body is read. */
export const researcherOnly = { onRequest: requireResearcher };

/** Participants only (of any study; the route reads their own study from the identity). */
export const participantOnly = { onRequest: requireParticipant() };
