import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../../shared/errors.ts';
import { ERROR_RESPONSES, OkSchema, StudyParamsSchema } from '../../shared/schemas/api-common.ts';
import {
  DeleteParticipantBodySchema,
  ParticipantDeletionResultSchema,
} from '../../shared/schemas/participant-deletion.ts';
import { clearSessionCookie } from '../plugins/auth.ts';
import { disconnectSession } from '../realtime/socket-auth.ts';
import type { LiveSessions } from '../services/live/live-sessions.ts';
import { deleteParticipant, participantByProlificId } from '../services/participants/participant-deletion.ts';
import type { DeletionRequester, ParticipantDeletion } from '../storage/participant-deletion-storage.ts';
import type { Storage } from '../storage/storage.ts';
import { recordAudit } from '../services/access/audit-log.ts';
import { StudyPseudonyms } from '../services/research/pseudonyms.ts';
import { participantOnly } from './guards.ts';
import { requestResearcher, studyAccess } from './study-guards.ts';

const tags = ['participants'];

/**
 * Stops the participant's running live episodes (so no engine appends to an episode being deleted), deletes their
 * data, and closes the sockets of their sessions. Logs the study and counts only: the log must not keep the person.
 */
async function deleteNow(
  fastify: FastifyInstance,
  deps: { storage: Storage; live: Pick<LiveSessions, 'endByResearcher'> },
  studyId: string,
  participantId: string,
  by: DeletionRequester,
): Promise<ParticipantDeletion> {
  const running = await deps.storage.live.listLive({ studyId, status: 'running', participantId });
  for (const episode of running) {
    await deps.live.endByResearcher(studyId, episode.summary.id, 'participant data deleted').catch((error: unknown) => {
      // Ended on its own meanwhile: the deletion removes it either way.
      if (!(error instanceof AppError && error.code === 'conflict')) throw error;
    });
  }
  const done = await deleteParticipant(deps.storage, participantId, by);
  for (const tokenHash of done.sessionTokenHashes) disconnectSession(fastify.io, tokenHash);
  fastify.log.info(
    { studyId, by: typeof by === 'string' ? by : 'researcher', episodes: done.episodes, ratings: done.ratings },
    'participant data deleted',
  );
  return done;
}

/**
 * Withdrawal and deletion (docs/data-protection.md): a researcher deletes a participant of a study by Prolific id; a
 * participant withdraws from the study, which deletes their data and ends their session.
 */
export function participantDeletionRoutes(deps: {
  storage: Storage;
  live: Pick<LiveSessions, 'endByResearcher'>;
  secureCookies: boolean;
}) {
  return async (fastify: FastifyInstance): Promise<void> => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    app.post(
      '/api/studies/:studyId/participants/delete',
      {
        // Deleting people's data is the owner's decision.
        ...studyAccess('manage'),
        schema: {
          tags,
          params: StudyParamsSchema,
          body: DeleteParticipantBodySchema,
          response: { 200: ParticipantDeletionResultSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const { studyId } = request.params;
        const identity = request.identity;
        if (identity?.kind !== 'researcher') throw new AppError('forbidden', 'researchers only');
        if (!(await deps.storage.getStudy(studyId))) throw new AppError('not_found', 'no such study');
        const participantId = await participantByProlificId(deps.storage, studyId, request.body.prolificId);
        const done = await deleteNow(fastify, deps, studyId, participantId, { researcherId: identity.researcherId });
        // The log names them by the study's pseudonym, as exports do: never by the Prolific id that was typed.
        const pseudonyms = await StudyPseudonyms.of(deps.storage, studyId);
        await recordAudit(
          deps.storage,
          requestResearcher(request),
          studyId,
          'delete_participant',
          `${pseudonyms.name('participant', participantId) ?? 'participant'}: ${done.episodes} episode(s), ${done.ratings} rating(s)`,
        );
        return { ok: true as const, episodes: done.episodes, twins: done.twins, ratings: done.ratings };
      },
    );

    app.post(
      '/api/participant/withdraw',
      { ...participantOnly, schema: { tags, response: { 200: OkSchema, ...ERROR_RESPONSES } } },
      async (request, reply) => {
        const identity = request.identity;
        if (identity?.kind !== 'participant') throw new AppError('forbidden', 'participants only');
        await deleteNow(fastify, deps, identity.studyId, identity.participantId, 'participant');
        clearSessionCookie(reply, deps.secureCookies);
        return { ok: true as const };
      },
    );
  };
}
