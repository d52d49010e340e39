import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../shared/errors.ts';
import { ERROR_RESPONSES, StudyParamsSchema } from '../../shared/schemas/api-common.ts';
import {
  CandidatesBodySchema,
  CandidatesResponseSchema,
  GoldAddedSchema,
  GoldBodySchema,
  SettingsResponseSchema,
  WithdrawBodySchema,
  WithdrawnSchema,
} from '../../shared/schemas/api-studies.ts';
import { LiveStudySettingsBodySchema } from '../../shared/schemas/live-study.ts';
import { AssignmentProgressSchema } from '../../shared/schemas/assignment-progress.ts';
import type { StudyWork } from '../services/studies/study-work-service.ts';
import type { StudyTransition } from '../services/studies/study-settings.ts';
import { CANDIDATES_BODY_LIMIT, GOLD_BODY_LIMIT, SETTINGS_BODY_LIMIT } from '../plugins/body-limits.ts';
import { recordAudit } from '../services/access/audit-log.ts';
import type { Storage } from '../storage/storage.ts';
import { requestResearcher, studyAccess } from './study-guards.ts';

const tags = ['live studies'];

/** The top-level settings fields whose values differ (for the audit log: which, never what they now say). */
function changedFields(before: object | null, after: object): string[] {
  const old = new Map(Object.entries(before ?? {}).map(([k, v]) => [k, JSON.stringify(v)]));
  return Object.entries(after)
    .filter(([key, value]) => key !== 'updatedAt' && old.get(key) !== JSON.stringify(value))
    .map(([key]) => key);
}
const params = StudyParamsSchema;

/**
 * Researcher routes for live studies: settings, open/pause/close, rating candidates (add, dry run, withdraw), gold
 * items, progress.
 */
export function studyWorkRoutes(work: StudyWork, storage: Pick<Storage, 'access'>) {
  return async (fastify: FastifyInstance): Promise<void> => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();

    app.get(
      '/api/studies/:studyId/settings',
      {
        ...studyAccess('view'),
        schema: { tags, params, response: { 200: SettingsResponseSchema, ...ERROR_RESPONSES } },
      },
      async (request) => {
        const settings = await work.getSettings(request.params.studyId);
        // The console reads this 404 as "never configured" and shows the defaults.
        if (!settings) throw new AppError('not_found', 'this study has no live settings yet');
        return { settings };
      },
    );

    app.put(
      '/api/studies/:studyId/settings',
      {
        ...studyAccess('work'),
        bodyLimit: SETTINGS_BODY_LIMIT,
        schema: {
          tags,
          params,
          // No body at all saves every default, as `{}` does.
          body: LiveStudySettingsBodySchema.prefault({}),
          response: { 200: SettingsResponseSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { studyId } = request.params;
        const before = await work.getSettings(studyId);
        const settings = await work.saveSettings(studyId, request.body);
        const changed = changedFields(before, settings);
        if (changed.length > 0)
          await recordAudit(storage, requestResearcher(request), studyId, 'change_settings', changed.join(', '));
        return { settings };
      },
    );

    for (const action of ['open', 'pause', 'close'] as const satisfies readonly StudyTransition[]) {
      app.post(
        `/api/studies/:studyId/${action}`,
        {
          ...studyAccess('work'),
          schema: { tags, params, response: { 200: SettingsResponseSchema, ...ERROR_RESPONSES } },
        },
        async (request) => {
          const { studyId } = request.params;
          const before = await work.getSettings(studyId);
          const settings = await work.transition(studyId, action);
          if (before?.status !== settings.status)
            await recordAudit(
              storage,
              requestResearcher(request),
              studyId,
              'change_settings',
              `status → ${settings.status}`,
            );
          return { settings };
        },
      );
    }

    app.post(
      '/api/studies/:studyId/rating-candidates',
      {
        ...studyAccess('work'),
        bodyLimit: CANDIDATES_BODY_LIMIT,
        schema: {
          tags,
          params,
          body: CandidatesBodySchema,
          response: { 200: CandidatesResponseSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { studyId } = request.params;
        const body = request.body;
        if ('runId' in body)
          return body.dryRun
            ? work.previewRunAnswers(studyId, body.runId, body.modes)
            : work.addRunAnswers(studyId, body.runId, body.modes);
        return body.dryRun
          ? work.previewRatingCandidates(studyId, body.episodeIds)
          : work.addRatingCandidates(studyId, body.episodeIds);
      },
    );

    app.post(
      '/api/studies/:studyId/rating-candidates/withdraw',
      {
        ...studyAccess('work'),
        bodyLimit: CANDIDATES_BODY_LIMIT,
        schema: { tags, params, body: WithdrawBodySchema, response: { 200: WithdrawnSchema, ...ERROR_RESPONSES } },
      },
      async (request) => {
        const { studyId } = request.params;
        const body = request.body;
        return 'runId' in body
          ? work.withdrawRunAnswers(studyId, body.runId, body.modes)
          : work.withdrawItems(studyId, body.itemIds);
      },
    );

    app.post(
      '/api/studies/:studyId/gold-items',
      {
        ...studyAccess('work'),
        bodyLimit: GOLD_BODY_LIMIT,
        schema: { tags, params, body: GoldBodySchema, response: { 200: GoldAddedSchema, ...ERROR_RESPONSES } },
      },
      async (request) => work.addGoldItems(request.params.studyId, request.body.items),
    );

    app.get(
      '/api/studies/:studyId/assignments',
      {
        ...studyAccess('work'),
        schema: { tags, params, response: { 200: AssignmentProgressSchema, ...ERROR_RESPONSES } },
      },
      async (request) => work.progress(request.params.studyId),
    );
  };
}
