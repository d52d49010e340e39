import { NodePresenceListSchema, PresenceQuerySchema, type NodePresence } from '../../shared/protocol/cross-node.ts';
import type { ParticipantPresence } from '../../shared/schemas/api-research.ts';
import { isCrossNode, type RealtimeServer } from '../plugins/socket-io.ts';
import type { Logger } from '../services/logger.ts';
import type { PresenceReader, PresenceTracker } from '../services/live/presence.ts';

/**
 * Feeds the presence tracker from participants' sockets: opened, any request sent, closed. Researchers' sockets are
 * not tracked. The identity is read once at connection: a logout disconnects the socket (socket-auth.ts).
 *
 * Returns what the live monitor reads. On one node (SQLite) that is the tracker itself, in memory as before. With
 * several nodes on PostgreSQL a participant's sockets may be on any of them, so a read also asks every other node,
 * through the Socket.IO adapter (`serverSideEmit` with an acknowledgement), for its tracker's records of the listed
 * participants, and combines them with this node's. Why this and not a shared table with heartbeats: the trackers
 * already hold the truth (opened, input, closed) at no cost per socket event, and the adapter already links the nodes;
 * a table would cost a write per connection, request and close, and a dead node's rows would need expiring. Why not
 * `fetchSockets` of a participant room: it says which sockets are open, but not when input last came or when the last
 * socket closed. The cost is one round trip through PostgreSQL's NOTIFY per monitor read (every 3 s per open
 * monitor). A node that died without leaving is waited for until the adapter's request timeout (5 s) during the few
 * seconds before its missed heartbeats drop it; then the answers that came are used.
 */
export function registerPresence(
  io: RealtimeServer,
  presence: PresenceTracker,
  log: Pick<Logger, 'warn'>,
): PresenceReader {
  io.on('connection', (socket) => {
    const identity = socket.data.identity;
    if (!identity || identity.kind !== 'participant') return;
    const { participantId } = identity;
    presence.connected(participantId);
    socket.onAny(() => presence.input(participantId));
    socket.on('disconnect', () => presence.disconnected(participantId));
  });
  if (!isCrossNode(io)) return presence;

  io.on('presence:query', (query, ack) => {
    const parsed = PresenceQuerySchema.safeParse(query);
    ack(parsed.success ? presence.records(parsed.data.participantIds) : []);
  });
  const otherNodes = (participantIds: readonly string[]): Promise<NodePresence[]> =>
    new Promise((resolve) => {
      io.serverSideEmit('presence:query', { participantIds: [...participantIds] }, (err, answers) => {
        // A timeout still hands over the answers that came: a node that is gone counts as having no sockets.
        if (err) log.warn({ err }, 'presence: not every node answered; their sockets count as closed');
        resolve(
          answers.flatMap((answer) => {
            const parsed = NodePresenceListSchema.safeParse(answer);
            return parsed.success ? parsed.data : [];
          }),
        );
      });
    });
  return {
    async presenceOf(participantIds: readonly string[]): Promise<Map<string, ParticipantPresence>> {
      if (participantIds.length === 0) return new Map();
      const remote = await otherNodes(participantIds);
      return presence.combineAll(participantIds, [...presence.records(participantIds), ...remote]);
    },
  };
}
