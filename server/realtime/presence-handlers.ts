import type { RealtimeServer } from '../plugins/socket-io.ts';
import type { PresenceTracker } from '../services/live/presence.ts';

/**
 * Feeds the presence tracker from participants' sockets: opened, any request sent, closed. Researchers' sockets are
 * not tracked. The identity is read once at connection: a logout disconnects the socket (socket-auth.ts).
 */
export function registerPresence(io: RealtimeServer, presence: PresenceTracker): void {
  io.on('connection', (socket) => {
    const identity = socket.data.identity;
    if (!identity || identity.kind !== 'participant') return;
    const { participantId } = identity;
    presence.connected(participantId);
    socket.onAny(() => presence.input(participantId));
    socket.on('disconnect', () => presence.disconnected(participantId));
  });
}
