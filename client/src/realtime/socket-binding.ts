import type { ActorEvent, ChunkMessage } from '../../../shared/protocol/live.ts';
import type { EpisodeEvent } from '../../../shared/schemas/episode.ts';
import type { AppSocket } from './socket.ts';

/**
 * The ONE place that listens to the socket: every server event and connection change becomes a call of a store
 * action. Components never touch the socket; store actions send through `request` (socket.ts).
 */

export type SocketRefusal = 'unsupported_protocol' | 'cross_origin' | 'server_disconnect' | 'internal';

export interface RealtimeSink {
  /** Connected: the first time (`reconnected` false), or again after a drop. */
  onSocketConnected(reconnected: boolean): void;
  onSocketDropped(): void;
  /** The server will not take this tab (outdated protocol, foreign origin) or ended the session: no auto-retry. */
  onSocketRefused(reason: SocketRefusal): void;
  onEpisodeAppended(episodeId: string, event: ActorEvent): void;
  onEpisodeChunked(chunk: ChunkMessage): void;
  onEpisodeWarned(episodeId: string, secondsLeft: number): void;
  /** Researchers watching a live episode: every stored event, unfiltered. */
  onEpisodeLogged(episodeId: string, event: EpisodeEvent): void;
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
    // This tab closed it on purpose (another participant joined here): nothing to report.
    else if (reason !== 'io client disconnect') sink.onSocketDropped();
  });
  socket.on('connect_error', (err) => {
    const data = (err as Error & { data?: { error?: unknown } }).data;
    const code = typeof data?.error === 'string' ? data.error : null;
    if (code === 'unsupported_protocol' || code === 'cross_origin' || code === 'internal') {
      sink.onSocketRefused(code);
    } else {
      // A network failure: Socket.IO keeps retrying with back-off; the banner says so.
      sink.onSocketDropped();
    }
  });
  socket.on('episode:appended', ({ episodeId, event }) => sink.onEpisodeAppended(episodeId, event));
  socket.on('episode:chunked', (chunk) => sink.onEpisodeChunked(chunk));
  socket.on('episode:warned', ({ episodeId, secondsLeft }) => sink.onEpisodeWarned(episodeId, secondsLeft));
  socket.on('episode:logged', ({ episodeId, event }) => sink.onEpisodeLogged(episodeId, event));
}
