import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../shared/errors.ts';
import { ERROR_RESPONSES, StudyParamsSchema } from '../../shared/schemas/api-common.ts';
import { LiveHealthSchema, type LiveHealth } from '../../shared/schemas/api-results.ts';
import { EPISODE_STATUSES, type EpisodeStatus } from '../../shared/schemas/episode.ts';
import type { ModelHealth, ModelProvider } from '../models/model-provider.ts';
import type { Storage } from '../storage/storage.ts';
import { studyAccess } from './study-guards.ts';
import { noStore } from './no-store.ts';

/** How many distinct failure reasons are listed; the rest are summed into the counts. */
const MAX_REASONS = 20;

/**
 * `GET /api/studies/:studyId/live-health`: what the researcher's live monitor shows about things going wrong while
 * people play. Episodes by status with the reasons of those that failed, and, for every model the study's live
 * episodes use, its failed attempts by code (retried ones too: a provider rate-limiting every few calls makes every
 * session slow without failing any) and its last failure. Provider figures are this server process's since it started.
 */
export function liveHealthRoutes(storage: Storage, model: (name: string) => ModelProvider) {
  return async (fastify: FastifyInstance): Promise<void> => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    noStore(app);
    const schema = {
      tags: ['live'],
      params: StudyParamsSchema,
      response: { 200: LiveHealthSchema, ...ERROR_RESPONSES },
    };
    app.get(
      '/api/studies/:studyId/live-health',
      { ...studyAccess('work'), schema },
      async (request): Promise<LiveHealth> => {
        const { studyId } = request.params;
        if (!(await storage.getStudy(studyId))) throw new AppError('not_found', 'no such study');
        // Counted by the database over every live episode of the study: a list stops at 1,000 (the counts were
        // wrong past that), and reading those rows cost the live loop 12 ms per poll against 3 ms (2,000 episodes).
        const tally = await storage.live.tally(studyId, MAX_REASONS);
        const status = Object.fromEntries(EPISODE_STATUSES.map((s) => [s, tally.byStatus[s] ?? 0])) as Record<
          EpisodeStatus,
          number
        >;
        const models: LiveHealth['models'] = [];
        for (const name of tally.models) {
          let health: ModelHealth | undefined;
          try {
            health = model(name).health?.();
          } catch {
            // A model no longer declared (or without its key) has made no calls in this process.
          }
          if (health) models.push({ name, ...health, failedAttempts: definedCounts(health.failedAttempts) });
        }
        return {
          episodes: {
            ...status,
            failures: tally.failures,
          },
          models,
        };
      },
    );
  };
}

/** A partial count record without its absent keys (the wire shape is string → count). */
function definedCounts(counts: ModelHealth['failedAttempts']): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter((e): e is [string, number] => e[1] !== undefined));
}
