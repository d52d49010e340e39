import { isCrossNode, RECOVERY_WINDOW_MS, type RealtimeServer } from '../plugins/socket-io.ts';

/**
 * Whether a broadcast to a room can reach anyone: a socket is in it now, or one left it less than the recovery window
 * ago (a dropped socket that comes back through connection-state recovery is replayed what was broadcast to its rooms
 * meanwhile, so those broadcasts must still be made). Why: a broadcast to nobody still costs its JSON encoding and,
 * with recovery on, a copy kept for two minutes; every event of every live episode goes to its researchers' room,
 * which is empty unless someone watches that episode.
 *
 * Across nodes (the PostgreSQL adapter) every broadcast is made here: a researcher watching on another node must get
 * the events of an episode played here, and which rooms other nodes hold is the adapter's knowledge, not this
 * module's. The adapter then sends a live episode's broadcast to the other nodes only while one of them has a socket
 * in its room (server/plugins/room-interest.ts).
 */
export function roomAudience(io: RealtimeServer, now: () => number = Date.now): (room: string) => boolean {
  if (isCrossNode(io)) return () => true;
  const adapter = io.of('/').adapter;
  /** Rooms that lost their last socket, and when: recovery may still bring it back. */
  const emptiedAt = new Map<string, number>();
  adapter.on('delete-room', (room: unknown) => {
    if (typeof room !== 'string') return;
    const at = now();
    // Deleted first so the map stays in the order rooms emptied (a Map keeps a re-set key where it was).
    emptiedAt.delete(room);
    emptiedAt.set(room, at);
    // Forget rooms whose window has passed, so rooms nobody broadcasts to again do not pile up: only the oldest ones,
    // from the front. (Scanning the whole map on every emptied room, each socket's own room included, was quadratic
    // in the sockets that left within the window: 0.9% of the loop at 1,000 persons.)
    for (const [r, t] of emptiedAt) {
      if (at - t <= RECOVERY_WINDOW_MS) break;
      emptiedAt.delete(r);
    }
  });
  return (room) => {
    if (adapter.rooms.has(room)) return true;
    const at = emptiedAt.get(room);
    if (at === undefined) return false;
    if (now() - at <= RECOVERY_WINDOW_MS) return true;
    emptiedAt.delete(room);
    return false;
  };
}
