import type { QueryClient } from '@tanstack/react-query';
import type { ErrorCode } from '../../../shared/errors.ts';
import type { ActorEvent, ChunkMessage, StorageNoticeState } from '../../../shared/protocol/live.ts';
import type { EpisodeEvent } from '../../../shared/schemas/episode.ts';
import { mergeEvents } from '../query/episode-log.ts';
import { isLiveEpisodesKey, queryKeys } from '../query/query-keys.ts';
import type { AppSocket } from './socket.ts';

/**
 * The ONE place that listens to the socket: every server event and connection change becomes a call of a store
 * action, or (the researcher's live monitor) a write into the console's query cache. Components never touch the
 * socket; store actions and the console's query functions send through `request` (socket.ts).
 */

/** Why the server will not take this tab's socket: a code of shared/errors.ts, or the server closing it on purpose. */
export type SocketRefusal =
  Extract<ErrorCode, 'unsupported_protocol' | 'cross_origin' | 'unauthenticated' | 'internal'> | 'server_disconnect';

/** The handshake refusals Socket.IO does not retry after (a middleware error ends its reconnection). */
const REFUSED: readonly string[] = ['unsupported_protocol', 'cross_origin', 'unauthenticated', 'internal'];

function isRefusal(code: string | null): code is SocketRefusal {
  return code !== null && REFUSED.includes(code);
}

export interface RealtimeSink {
  /** Connected: the first time (`reconnected` false), or again after a drop. */
  onSocketConnected(reconnected: boolean): void;
  onSocketDropped(): void;
  /** The server will not take this tab (outdated protocol, foreign origin) or ended the session: no auto-retry. */
  onSocketRefused(reason: SocketRefusal): void;
  onEpisodeAppended(episodeId: string, event: ActorEvent): void;
  onEpisodeChunked(chunk: ChunkMessage): void;
  onEpisodeWarned(episodeId: string, secondsLeft: number): void;
  /** Saving the conversation is delayed (paused), works again, or gave up (the episode ends). */
  onEpisodeStorage?(episodeId: string, state: StorageNoticeState): void;
  /** Another tab of this participant took the task over (shared/protocol/tabs.ts): this one stops. */
  onTakenOver?(): void;
}

const bound = new WeakSet<AppSocket>();

export function bindSocket(socket: AppSocket, sink: RealtimeSink): void {
  // Binding twice would apply every event twice (StrictMode mounts, a second page in the same tab).
  if (bound.has(socket)) return;
  bound.add(socket);
  let everConnected = false;

  socket.on('connect', () => {
    sink.onSocketConnected(everConnected);
    everConnected = true;
  });
  socket.on('disconnect', (reason) => {
    // The server closed this socket on purpose (sign-out elsewhere, session revoked): Socket.IO will not retry.
    if (reason === 'io server disconnect') sink.onSocketRefused('server_disconnect');
    // This tab closed it on purpose (another participant joined here, or another tab took the task): nothing to report.
    else if (reason !== 'io client disconnect') sink.onSocketDropped();
  });
  socket.on('connect_error', (err) => {
    const data = (err as Error & { data?: { error?: unknown } }).data;
    const code = typeof data?.error === 'string' ? data.error : null;
    if (isRefusal(code)) {
      // A session that ended while the socket was away (logout elsewhere, revoked) comes back as `unauthenticated`.
      sink.onSocketRefused(code);
    } else {
      // A network failure: Socket.IO keeps retrying with back-off; the banner says so.
      sink.onSocketDropped();
    }
  });
  socket.on('session:taken-over', () => sink.onTakenOver?.());
  socket.on('episode:appended', ({ episodeId, event }) => sink.onEpisodeAppended(episodeId, event));
  socket.on('episode:chunked', (chunk) => sink.onEpisodeChunked(chunk));
  socket.on('episode:warned', (warning) => {
    if (warning.kind === 'idle') sink.onEpisodeWarned(warning.episodeId, warning.secondsLeft);
    else sink.onEpisodeStorage?.(warning.episodeId, warning.state);
  });
}

const monitored = new WeakSet<AppSocket>();

/**
 * The researcher console's live monitor: every stored event of a watched episode (`episode:logged`) goes into the
 * console's query cache, merged by seq into the transcript being shown. Only types come from TanStack Query here, so
 * a participant's page, which loads this file, does not download it.
 */
export function bindMonitor(socket: AppSocket, queryClient: QueryClient): void {
  if (monitored.has(socket)) return;
  monitored.add(socket);
  socket.on('episode:logged', ({ episodeId, event }) => logEpisodeEvent(queryClient, episodeId, event));
}

/** One pushed event of a watched episode, applied to the cache. */
export function logEpisodeEvent(queryClient: QueryClient, episodeId: string, event: EpisodeEvent): void {
  const key = queryKeys.watchedEpisode(episodeId);
  // A transcript still waiting for its log keeps the event too: the log answer is merged with it, by seq.
  const watched = queryClient.getQueryCache().find({ queryKey: key, exact: true }) !== undefined;
  queryClient.setQueryData<EpisodeEvent[]>(key, (events) =>
    events ? mergeEvents(events, [event]) : watched ? [event] : undefined,
  );
  // An ended episode changes its row in the live list (status, score): show it without waiting for the next poll.
  if (event.type === 'episode_completed' || event.type === 'episode_failed') {
    void queryClient.invalidateQueries({ predicate: (q) => isLiveEpisodesKey(q.queryKey) });
  }
}
