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
import { AssignmentProgressSchema, LiveStudySettingsBodySchema } from '../../shared/schemas/live-study.ts';
import type { StudyWork } from '../services/studies/study-work-service.ts';
import type { StudyTransition } from '../services/studies/study-settings.ts';
import { CANDIDATES_BODY_LIMIT, GOLD_BODY_LIMIT, SETTINGS_BODY_LIMIT } from '../plugins/body-limits.ts';
import { researcherOnly } from './guards.ts';

const tags = ['live studies'];
const params = StudyParamsSchema;

/**
 * Researcher routes for live studies: settings, open/pause/close, rating candidates (add, dry run, withdraw), gold
 * items, progress.
 */
export function studyWorkRoutes(work: StudyWork) {
  return async (fastify: FastifyInstance): Promise<void> => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();

    app.get(
      '/api/studies/:studyId/settings',
      { ...researcherOnly, schema: { tags, params, response: { 200: SettingsResponseSchema, ...ERROR_RESPONSES } } },
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
        ...researcherOnly,
        bodyLimit: SETTINGS_BODY_LIMIT,
        schema: {
          tags,
          params,
          // No body at all saves every default, as `{}` does.
          body: LiveStudySettingsBodySchema.prefault({}),
          response: { 200: SettingsResponseSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => ({ settings: await work.saveSettings(request.params.studyId, request.body) }),
    );

    for (const action of ['open', 'pause', 'close'] as const satisfies readonly StudyTransition[]) {
      app.post(
        `/api/studies/:studyId/${action}`,
        { ...researcherOnly, schema: { tags, params, response: { 200: SettingsResponseSchema, ...ERROR_RESPONSES } } },
        async (request) => ({ settings: await work.transition(request.params.studyId, action) }),
      );
    }

    app.post(
      '/api/studies/:studyId/rating-candidates',
      {
        ...researcherOnly,
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
        ...researcherOnly,
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
        ...researcherOnly,
        bodyLimit: GOLD_BODY_LIMIT,
        schema: { tags, params, body: GoldBodySchema, response: { 200: GoldAddedSchema, ...ERROR_RESPONSES } },
      },
      async (request) => work.addGoldItems(request.params.studyId, request.body.items),
    );

    app.get(
      '/api/studies/:studyId/assignments',
      { ...researcherOnly, schema: { tags, params, response: { 200: AssignmentProgressSchema, ...ERROR_RESPONSES } } },
      async (request) => work.progress(request.params.studyId),
    );
  };
}
