import type { z } from 'zod';
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
import { guardedAck } from './guarded-ack.ts';
import { AppError } from '../../shared/errors.ts';

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
  return {
    toActor: (episodeId, event) => void io.to(actorRoom(episodeId)).emit('episode:appended', { episodeId, event }),
    chunk: (episodeId, chunk) => void io.to(actorRoom(episodeId)).emit('episode:chunked', chunk),
    idleWarning: (episodeId, secondsLeft) =>
      void io.to(actorRoom(episodeId)).emit('episode:warned', { episodeId, kind: 'idle', secondsLeft }),
    toWatchers: (episodeId, event) => void io.to(watchRoom(episodeId)).emit('episode:logged', { episodeId, event }),
  };
}

/** Live play over the socket: parse, check who is asking, call LiveSessions, ack. */
export function registerPlayHandlers(io: RealtimeServer, live: LiveSessions): void {
  io.on('connection', (socket) => {
    const actor = (): Actor => requireActor(socket.data.identity);
    const on = <S extends z.ZodType, T>(schema: S, handler: (payload: z.infer<S>) => Promise<T>) =>
      guardedAck(schema, handler);

    socket.on(
      'play:start',
      on(PlayStartPayloadSchema, async () => {
        return live.startOrResume(actor(), async (episodeId) => {
          await socket.join(actorRoom(episodeId));
        });
      }),
    );
    socket.on(
      'episode:reply',
      on(ReplyPayloadSchema, async (p) => {
        const who = actor();
        if (p.text.length > MAX_REPLY_CHARS)
          throw new AppError('payload_too_large', `a reply may have at most ${MAX_REPLY_CHARS} characters`);
        return live.reply(who, p.episodeId, p.clientMessageId, p.text);
      }),
    );
    socket.on(
      'episode:resync',
      on(ResyncPayloadSchema, async (p) => {
        const who = actor();
        // Join first, then read: an event stored in between arrives twice (clients apply events by seq), never zero times.
        await live.snapshotAccess(who, p.episodeId);
        await socket.join(actorRoom(p.episodeId));
        return live.resync(who, p.episodeId, p.afterSeq);
      }),
    );
    socket.on(
      'episode:tag',
      on(TagPayloadSchema, async (p) => live.tag(actor(), p.episodeId, p.turn, p.tag)),
    );
    socket.on(
      'episode:rate',
      on(SelfRatingPayloadSchema, async (p) =>
        live.rate(actor(), p.episodeId, {
          scores: p.scores,
          correct: p.correct,
          secondsSpent: p.secondsSpent,
          ...(p.justification ? { justification: p.justification } : {}),
        }),
      ),
    );
    socket.on(
      'episode:watch',
      on(WatchPayloadSchema, async (p) => {
        const identity = socket.data.identity;
        if (!identity) throw new AppError('unauthenticated', 'log in first');
        if (identity.kind !== 'researcher') throw new AppError('forbidden', 'researchers only');
        await live.watchAccess(p.episodeId);
        await socket.join(watchRoom(p.episodeId));
        return live.watch(p.episodeId);
      }),
    );
  });
}
