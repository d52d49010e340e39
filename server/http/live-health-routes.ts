import type { FastifyInstance } from 'fastify';
import type { ModelHealth, ModelProvider } from '../models/model-provider.ts';
import type { Storage } from '../storage/storage.ts';
import { parseOrReply } from './parse-request.ts';
import { noStore, researcherOnly, StudyParams } from './research-routes.ts';

/** How many distinct failure reasons are listed; the rest are summed into the counts. */
const MAX_REASONS = 20;

/**
 * `GET /api/studies/:studyId/live-health`: what the researcher's live monitor shows about things going wrong while
 * people play. Episodes by status with the reasons of those that failed, and, for every model the study's live
 * episodes use, its failed attempts by code (retried ones too: a provider rate-limiting every few calls makes every
 * session slow without failing any) and its last failure. Provider figures are this server process's since it started.
 */
export function liveHealthRoutes(storage: Storage, model: (name: string) => ModelProvider) {
  return async (app: FastifyInstance): Promise<void> => {
    noStore(app);
    app.get('/api/studies/:studyId/live-health', researcherOnly, async (request, reply) => {
      const params = parseOrReply(StudyParams, request.params, reply);
      if (!params) return reply;
      if (!(await storage.getStudy(params.studyId)))
        return reply.code(404).send({ error: 'not_found', message: 'no such study' });
      const episodes = await storage.live.listLive({ studyId: params.studyId });
      const status: Record<string, number> = { running: 0, completed: 0, failed: 0, aborted: 0 };
      const reasons = new Map<string, { stage: string; reason: string; count: number }>();
      const names = new Set<string>();
      for (const { summary } of episodes) {
        status[summary.status] = (status[summary.status] ?? 0) + 1;
        for (const name of [summary.assistantModel, summary.judgeModel, summary.simulatorModel])
          if (name) names.add(name);
        if (summary.status !== 'failed' || !summary.failure) continue;
        const key = `${summary.failure.stage}\u0000${summary.failure.reason}`;
        const entry = reasons.get(key) ?? { stage: summary.failure.stage, reason: summary.failure.reason, count: 0 };
        entry.count += 1;
        reasons.set(key, entry);
      }
      const models: ({ name: string } & ModelHealth)[] = [];
      for (const name of [...names].sort()) {
        let health: ModelHealth | undefined;
        try {
          health = model(name).health?.();
        } catch {
          // A model no longer declared (or without its key) has made no calls in this process.
        }
        if (health) models.push({ name, ...health });
      }
      return {
        episodes: {
          ...status,
          failures: [...reasons.values()].sort((a, b) => b.count - a.count).slice(0, MAX_REASONS),
        },
        models,
      };
    });
  };
}
