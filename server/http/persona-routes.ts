import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Storage } from '../storage/storage.ts';
import { requireResearcher } from './guards.ts';
import { parseOrReply } from './parse-request.ts';

const PersonaParams = z.object({ personaId: z.string().min(1).max(200) });

export function personaRoutes(storage: Storage) {
  return async (app: FastifyInstance): Promise<void> => {
    app.addHook('preHandler', requireResearcher);
    app.get('/api/personas', async () => ({ personas: await storage.listLibraryPersonas() }));

    app.get('/api/personas/:personaId', async (request, reply) => {
      const params = parseOrReply(PersonaParams, request.params, reply);
      if (!params) return reply;
      const persona = await storage.getPersona(params.personaId);
      if (!persona) return reply.code(404).send({ error: 'not_found', message: 'no such persona' });
      return { persona };
    });
  };
}
