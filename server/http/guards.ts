import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Identity, ParticipantRole } from '../../shared/schemas/identity.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth plugin (server/plugins/auth.ts) from the signed session cookie; null when there is none. */
    identity: Identity | null;
  }
}

/**
 * Route guards, used as `preHandler`. Every route states who may call it; ownership (this participant's own
 * assignment, this researcher's study) is checked again in the service with the identity.
 */
export async function requireResearcher(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (!request.identity) return void reply.code(401).send({ error: 'unauthenticated', message: 'log in first' });
  if (request.identity.kind !== 'researcher')
    return void reply.code(403).send({ error: 'forbidden', message: 'researchers only' });
}

export function requireParticipant(role?: ParticipantRole) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const id = request.identity;
    if (!id) return void reply.code(401).send({ error: 'unauthenticated', message: 'open your invitation link first' });
    if (id.kind !== 'participant' || (role && id.role !== role)) {
      return void reply.code(403).send({ error: 'forbidden', message: role ? `${role}s only` : 'participants only' });
    }
  };
}
