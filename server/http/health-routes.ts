import type { FastifyInstance } from 'fastify';
import type { Health } from '../../shared/schemas/study.ts';
import { APP_VERSION } from '../version.ts';

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/health', async (): Promise<Health> => ({ ok: true, version: APP_VERSION }));
}
