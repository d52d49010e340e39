import { AppError } from '../../shared/errors.ts';
import {
  RatingFlagPayloadSchema,
  RatingNextPayloadSchema,
  RatingProgressPayloadSchema,
  RatingRevisePayloadSchema,
  RatingSkipPayloadSchema,
  RatingSubmitPayloadSchema,
} from '../../shared/schemas/live-study.ts';
import type { Identity } from '../../shared/schemas/identity.ts';
import type { RealtimeServer } from '../plugins/socket-io.ts';
import type { Logger } from '../services/logger.ts';
import type { Rater } from '../services/studies/rating-queue.ts';
import type { StudyWork } from '../services/studies/study-work-service.ts';
import { socketRequests } from './guarded-ack.ts';

/** Only a participant who joined a study as a rater; the study is the one their session belongs to. */
function requireRater(identity: Identity | null | undefined): Rater {
  if (!identity) throw new AppError('unauthenticated', 'open your invitation link first');
  if (identity.kind !== 'participant' || identity.role !== 'rater')
    throw new AppError('forbidden', 'only raters rate answers');
  return { participantId: identity.participantId, studyId: identity.studyId };
}

/** The blinded rating queue over the socket: parse, check the rater, call the service, ack. */
export function registerRatingHandlers(io: RealtimeServer, work: StudyWork, log: Logger): void {
  io.on('connection', (socket) => {
    const on = socketRequests(socket, log);
    on('rating:next', RatingNextPayloadSchema, async () => work.nextRating(requireRater(socket.data.identity)));
    on('rating:submit', RatingSubmitPayloadSchema, async (p) =>
      work.submitRating(requireRater(socket.data.identity), p),
    );
    on('rating:skip', RatingSkipPayloadSchema, async (p) => work.skipRating(requireRater(socket.data.identity), p));
    on('rating:revise', RatingRevisePayloadSchema, async (p) =>
      work.reviseRating(requireRater(socket.data.identity), p),
    );
    on('rating:flag', RatingFlagPayloadSchema, async (p) => work.flagItem(requireRater(socket.data.identity), p));
    on('rating:progress', RatingProgressPayloadSchema, async () =>
      work.ratingProgress(requireRater(socket.data.identity)),
    );
  });
}
