import { RatingNextPayloadSchema, RatingSubmitPayloadSchema } from '../../shared/schemas/live-study.ts';
import type { Identity } from '../../shared/schemas/identity.ts';
import type { RealtimeServer } from '../plugins/socket-io.ts';
import type { Rater } from '../services/studies/rating-queue.ts';
import { ServiceError } from '../services/studies/service-error.ts';
import type { StudyWork } from '../services/studies/study-work-service.ts';
import { guardedAck } from './guarded-ack.ts';

/** Only a participant who joined a study as a rater; the study is the one their session belongs to. */
function requireRater(identity: Identity | null | undefined): Rater {
  if (!identity) throw new ServiceError('unauthenticated', 'open your invitation link first');
  if (identity.kind !== 'participant' || identity.role !== 'rater')
    throw new ServiceError('forbidden', 'only raters rate answers');
  return { participantId: identity.participantId, studyId: identity.studyId };
}

/** The blinded rating queue over the socket: parse, check the rater, call the service, ack. */
export function registerRatingHandlers(io: RealtimeServer, work: StudyWork): void {
  io.on('connection', (socket) => {
    socket.on(
      'rating:next',
      guardedAck(RatingNextPayloadSchema, async () => work.nextRating(requireRater(socket.data.identity))),
    );
    socket.on(
      'rating:submit',
      guardedAck(RatingSubmitPayloadSchema, async (p) => work.submitRating(requireRater(socket.data.identity), p)),
    );
  });
}
