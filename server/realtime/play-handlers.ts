import { AppError } from '../../shared/errors.ts';
import {
  MAX_REPLY_CHARS,
  PlayStartPayloadSchema,
  ReplyPayloadSchema,
  ResyncPayloadSchema,
  SelfRatingPayloadSchema,
  TagPayloadSchema,
  WatchPayloadSchema,
} from '../../shared/protocol/live.ts';
import type { Identity } from '../../shared/schemas/identity.ts';
import type { RealtimeServer } from '../plugins/socket-io.ts';
import type { LiveSessions } from '../services/live/live-sessions.ts';
import type { LiveBroadcast } from '../services/live/live-types.ts';
import type { Logger } from '../services/logger.ts';
import { socketRequests } from './guarded-ack.ts';
import { roomAudience } from './room-audience.ts';
import { startLane } from './start-lane.ts';
import { recordAudit } from '../services/access/audit-log.ts';
import { requireStudyAccess, researcherOf } from '../services/access/study-access.ts';
import type { Storage } from '../storage/storage.ts';

type Actor = Extract<Identity, { kind: 'participant' }>;

/** Room names: the actor's view and the researchers' full view of one episode are separate rooms. */
export const actorRoom = (episodeId: string): string => `episode:${episodeId}:actor`;
export const watchRoom = (episodeId: string): string => `episode:${episodeId}:watch`;

function requireActor(identity: Identity | null | undefined): Actor {
  if (!identity) throw new AppError('unauthenticated', 'open your invitation link first');
  if (identity.kind !== 'participant' || identity.role !== 'actor')
    throw new AppError('forbidden', 'only actors play episodes');
  return identity;
}

/** Socket.IO rooms as the live sessions' way to reach browsers. */
export function socketBroadcast(io: RealtimeServer): LiveBroadcast {
  const heard = roomAudience(io);
  return {
    toActor: (episodeId, event) => void io.to(actorRoom(episodeId)).emit('episode:appended', { episodeId, event }),
    chunk: (episodeId, chunk) => void io.to(actorRoom(episodeId)).emit('episode:chunked', chunk),
    idleWarning: (episodeId, secondsLeft) =>
      void io.to(actorRoom(episodeId)).emit('episode:warned', { episodeId, kind: 'idle', secondsLeft }),
    storageNotice: (episodeId, state) =>
      void io.to(actorRoom(episodeId)).emit('episode:warned', { episodeId, kind: 'storage', state }),
    // Most episodes have no researcher watching: their events are not encoded for, or kept for, nobody.
    toWatchers: (episodeId, event) => {
      const room = watchRoom(episodeId);
      if (heard(room)) io.to(room).emit('episode:logged', { episodeId, event });
    },
  };
}

/** Live play over the socket: parse, check who is asking, call LiveSessions, ack. */
export function registerPlayHandlers(
  io: RealtimeServer,
  live: LiveSessions,
  storage: Pick<Storage, 'access'>,
  log: Logger,
): void {
  // One lane for the server's sockets: new episodes start one per loop turn, behind the replies (start-lane.ts).
  const starts = startLane();
  io.on('connection', (socket) => {
    const actor = (): Actor => requireActor(socket.data.identity);
    const on = socketRequests(socket, log);

    on('play:start', PlayStartPayloadSchema, async () => {
      // Refused at once when not allowed; asked again after the wait, in case the session changed meanwhile.
      actor();
      await starts.turn();
      return live.startOrResume(actor(), async (episodeId) => {
        await socket.join(actorRoom(episodeId));
      });
    });
    on('episode:reply', ReplyPayloadSchema, async (p) => {
      const who = actor();
      if (p.text.length > MAX_REPLY_CHARS)
        throw new AppError('payload_too_large', `a reply may have at most ${MAX_REPLY_CHARS} characters`);
      return live.reply(who, p.episodeId, p.clientMessageId, p.text);
    });
    on('episode:resync', ResyncPayloadSchema, async (p) => {
      const who = actor();
      // Join first, then read: an event stored in between arrives twice (clients apply events by seq), never zero times.
      await live.snapshotAccess(who, p.episodeId);
      await socket.join(actorRoom(p.episodeId));
      return live.resync(who, p.episodeId, p.afterSeq);
    });
    on('episode:tag', TagPayloadSchema, async (p) => live.tag(actor(), p.episodeId, p.turn, p.tag));
    on('episode:rate', SelfRatingPayloadSchema, async (p) =>
      live.rate(actor(), p.episodeId, {
        scores: p.scores,
        ...(p.correct === undefined ? {} : { correct: p.correct }),
        secondsSpent: p.secondsSpent,
        ...(p.justification ? { justification: p.justification } : {}),
      }),
    );
    on('episode:watch', WatchPayloadSchema, async (p) => {
      const who = researcherOf(socket.data.identity);
      // A person's live transcript is study work: collaborators and owners of its study, and each watch is logged.
      const studyId = await storage.access.studyOfEpisode(p.episodeId);
      await requireStudyAccess(storage, who.researcherId, studyId, 'work');
      await live.watchAccess(p.episodeId);
      await recordAudit(storage, who, studyId ?? '', 'open_transcript', `episode ${p.episodeId} (watched live)`);
      await socket.join(watchRoom(p.episodeId));
      return live.watch(p.episodeId);
    });
  });
}
