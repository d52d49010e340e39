import type { Socket } from 'socket.io';
import { AppError } from '../../shared/errors.ts';
import type {
  ClientToServerEvents,
  InterServerEvents,
  ServerToClientEvents,
  SocketData,
} from '../../shared/protocol/events.ts';
import { TabClaimPayloadSchema, type TabClaimResult } from '../../shared/protocol/tabs.ts';
import type { RealtimeServer } from '../plugins/socket-io.ts';
import type { Logger } from '../services/logger.ts';
import { socketRequests } from './guarded-ack.ts';

type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** The requests a taken-over socket may still send: asking for the task back. */
const ALLOWED_WHEN_TAKEN_OVER: readonly string[] = ['session:claim'];

/**
 * Which of a participant's sockets is their working tab (shared/protocol/tabs.ts). Kept in this process's memory, and
 * after a restart every tab connects and claims again. On SQLite one process serves the database. With several nodes
 * on PostgreSQL each knows only its own sockets: the proxy's sticky sessions keep one browser's tabs on one node
 * (docs/deploying.md), and a tab on another node is held off the episode by its owner lease (`episode_elsewhere`).
 */
export class ParticipantTabs {
  /** Connected sockets per participant, with the tab each claimed for (null: not claimed, e.g. a script). */
  private readonly open = new Map<string, Map<AppSocket, string | null>>();
  private readonly takenOver = new WeakSet<AppSocket>();

  connected(participantId: string, socket: AppSocket): void {
    let sockets = this.open.get(participantId);
    if (!sockets) this.open.set(participantId, (sockets = new Map()));
    sockets.set(socket, null);
  }

  disconnected(participantId: string, socket: AppSocket): void {
    const sockets = this.open.get(participantId);
    sockets?.delete(socket);
    if (sockets?.size === 0) this.open.delete(participantId);
  }

  isTakenOver(socket: AppSocket): boolean {
    return this.takenOver.has(socket);
  }

  /**
   * `socket` claims the task for `tabId`. Another open tab keeps it unless `takeOver`; then that tab is told and
   * leaves the episode's updates. Older sockets of the same tab (a reconnect the server has not noticed dropping
   * yet) are not another tab: they are closed.
   */
  claim(participantId: string, socket: AppSocket, tabId: string, takeOver: boolean): TabClaimResult {
    const sockets = this.open.get(participantId) ?? new Map<AppSocket, string | null>();
    const others: AppSocket[] = [];
    const stale: AppSocket[] = [];
    for (const [other, otherTab] of sockets) {
      if (other === socket || this.takenOver.has(other)) continue;
      (otherTab === tabId ? stale : others).push(other);
    }
    if (others.length > 0 && !takeOver) return { state: 'open_elsewhere' };
    for (const old of stale) {
      this.takenOver.add(old);
      old.disconnect(true);
    }
    for (const other of others) this.takeFrom(other);
    this.takenOver.delete(socket);
    sockets.set(socket, tabId);
    this.open.set(participantId, sockets);
    return { state: 'active' };
  }

  private takeFrom(socket: AppSocket): void {
    this.takenOver.add(socket);
    // It stops receiving the episode's events now; its own page closes the socket once it has shown why.
    for (const room of socket.rooms) if (room.startsWith('episode:')) void socket.leave(room);
    socket.emit('session:taken-over', {});
  }
}

/**
 * `session:claim` for participants' tabs, and the guard that refuses every other request of a taken-over tab with
 * `taken_over` (so a stale tab can never send a reply or a rating the person did not mean to send from there).
 */
export function registerTabHandlers(io: RealtimeServer, tabs: ParticipantTabs, log: Logger): void {
  io.on('connection', (socket) => {
    const on = socketRequests(socket, log);
    const identity = socket.data.identity;
    on('session:claim', TabClaimPayloadSchema, async (p) => {
      if (!identity) throw new AppError('unauthenticated', 'open your invitation link first');
      if (identity.kind !== 'participant') throw new AppError('forbidden', 'only participants claim a task');
      return tabs.claim(identity.participantId, socket, p.tabId, p.takeOver);
    });
    if (identity?.kind !== 'participant') return;
    const { participantId } = identity;
    tabs.connected(participantId, socket);
    socket.on('disconnect', () => tabs.disconnected(participantId, socket));
    socket.use(([event, ...args], next) => {
      if (!tabs.isTakenOver(socket) || ALLOWED_WHEN_TAKEN_OVER.includes(event)) return next();
      const ack = args[args.length - 1];
      if (typeof ack === 'function') {
        (ack as (result: unknown) => void)({
          ok: false,
          error: 'taken_over',
          issues: [{ path: '$', message: 'this task continues in another tab' }],
        });
      }
    });
  });
}
