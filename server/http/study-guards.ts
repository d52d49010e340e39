import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../shared/errors.ts';
import type { StudyAccess } from '../../shared/schemas/study-access.ts';
import { requireStudyAccess, researcherOf, type ResearcherIdentity } from '../services/access/study-access.ts';
import type { Storage } from '../storage/storage.ts';
import type { StudyAccessStorage } from '../storage/study-access-storage.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Researchers' roles per study, for the study guards below (decorated in app.ts). */
    studyRoles: StudyAccessStorage;
  }
}

/** Gives the study guards their storage; called once in app.ts before the routes. */
export function decorateStudyRoles(app: FastifyInstance, storage: Pick<Storage, 'access'>): void {
  app.decorate('studyRoles', storage.access);
}

/** A path parameter as the router matched it (guards run before the params are validated). */
function param(request: FastifyRequest, name: string): string {
  const value = (request.params as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}

/** The signed-in researcher of a request that passed a study guard. */
export function requestResearcher(request: FastifyRequest): ResearcherIdentity {
  return researcherOf(request.identity);
}

type StudyOf = (request: FastifyRequest, roles: StudyAccessStorage) => Promise<string | null>;

function guard(studyOf: StudyOf, access: StudyAccess, missing: string) {
  return {
    onRequest: async (request: FastifyRequest): Promise<void> => {
      const who = researcherOf(request.identity);
      const roles = request.server.studyRoles;
      const studyId = await studyOf(request, roles);
      if (studyId === null) throw new AppError('not_found', missing);
      await requireStudyAccess({ access: roles }, who.researcherId, studyId, access);
    },
  };
}

/**
 * Study guards, used as `onRequest` like `researcherOnly` (guards.ts): the caller must be a researcher whose role in
 * the route's study grants `access` (shared/schemas/study-access.ts), decided before the body is read. A researcher
 * with no role there hears 404 "no such study", as for a study that does not exist; a smaller role hears 403.
 */
export function studyAccess(access: StudyAccess) {
  return guard(async (request) => param(request, 'studyId'), access, 'no such study');
}

/** For `/api/runs/:runId…`: the run's study decides. A run made outside any study (the CLI) is not served. */
export function runAccess(access: StudyAccess) {
  return guard(async (request, roles) => roles.studyOfRun(param(request, 'runId')), access, 'no such run');
}

/** For `/api/episodes/:episodeId`: the episode's study (its own, its run's, or its live episode's) decides. */
export function episodeAccess(access: StudyAccess) {
  return guard(async (request, roles) => roles.studyOfEpisode(param(request, 'episodeId')), access, 'no such episode');
}
