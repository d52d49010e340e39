import type { Socket } from 'socket.io';
import { AppError } from '../../shared/errors.ts';
import type {
  ClientToServerEvents,
  InterServerEvents,
  ServerToClientEvents,
  SocketData,
} from '../../shared/protocol/events.ts';
import {
  RemoteTabClaimAnswerSchema,
  RemoteTabClaimSchema,
  type RemoteTabClaim,
  type RemoteTabClaimAnswer,
} from '../../shared/protocol/cross-node.ts';
import { TabClaimPayloadSchema, type TabClaimResult } from '../../shared/protocol/tabs.ts';
import { isCrossNode, type RealtimeServer } from '../plugins/socket-io.ts';
import type { Logger } from '../services/logger.ts';
import { socketRequests } from './guarded-ack.ts';

type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** The requests a taken-over socket may still send: asking for the task back. */
const ALLOWED_WHEN_TAKEN_OVER: readonly string[] = ['session:claim'];

/**
 * Which of a participant's sockets is their working tab (shared/protocol/tabs.ts). Kept in this process's memory, and
 * after a restart every tab connects and claims again. On SQLite one process serves the database. With several nodes
 * on PostgreSQL each knows only its own sockets, and a claim is also sent to the other nodes (`tabs:claim`, below):
 * each answers whether the participant has another tab there and, when the claim takes over, takes the task from it
 * as it would for a tab of its own (`fromElsewhere`).
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
  claim(
    participantId: string,
    socket: AppSocket,
    tabId: string,
    takeOver: boolean,
    /** Whether another node reported another open tab of the participant (it has taken the task from it if `takeOver`). */
    openOnOtherNode = false,
  ): TabClaimResult {
    const sockets = this.open.get(participantId) ?? new Map<AppSocket, string | null>();
    const { others, stale } = this.split(sockets, socket, tabId);
    if ((others.length > 0 || openOnOtherNode) && !takeOver) return { state: 'open_elsewhere' };
    this.close(stale);
    for (const other of others) this.takeFrom(other);
    this.takenOver.delete(socket);
    sockets.set(socket, tabId);
    this.open.set(participantId, sockets);
    return { state: 'active' };
  }

  /**
   * A tab of this participant on another node claims the task: this node's older sockets of that same tab are closed
   * (the page reconnected to the other node), and with `takeOver` its other tabs lose the task. Answers whether it had
   * other tabs.
   */
  fromElsewhere(claim: RemoteTabClaim): RemoteTabClaimAnswer {
    const sockets = this.open.get(claim.participantId);
    if (!sockets) return { othersOpen: false };
    const { others, stale } = this.split(sockets, null, claim.tabId);
    this.close(stale);
    if (claim.takeOver) for (const other of others) this.takeFrom(other);
    return { othersOpen: others.length > 0 };
  }

  /** The participant's sockets other than `socket` that still may play: the same tab's older ones, and other tabs. */
  private split(
    sockets: Map<AppSocket, string | null>,
    socket: AppSocket | null,
    tabId: string,
  ): { others: AppSocket[]; stale: AppSocket[] } {
    const others: AppSocket[] = [];
    const stale: AppSocket[] = [];
    for (const [other, otherTab] of sockets) {
      if (other === socket || this.takenOver.has(other)) continue;
      (otherTab === tabId ? stale : others).push(other);
    }
    return { others, stale };
  }

  private close(stale: AppSocket[]): void {
    for (const old of stale) {
      this.takenOver.add(old);
      old.disconnect(true);
    }
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
export function registerTabHandlers(
  io: RealtimeServer,
  tabs: ParticipantTabs,
  log: Logger,
  /** With several nodes: gives up this node's lease on the participant's live episode (services/episode-handover.ts). */
  handOver?: (participantId: string) => Promise<unknown>,
): void {
  const crossNode = isCrossNode(io);
  if (crossNode) {
    io.on('tabs:claim', (claim, ack) => {
      const parsed = RemoteTabClaimSchema.safeParse(claim);
      if (!parsed.success) return ack({ othersOpen: false });
      const answer = tabs.fromElsewhere(parsed.data);
      // No tab here plays the task any more (taken over, or none was here): the episode follows the claiming tab.
      if (!handOver || (answer.othersOpen && !parsed.data.takeOver)) return ack(answer);
      handOver(parsed.data.participantId).then(
        () => ack(answer),
        (error: unknown) => {
          log.warn({ err: error }, 'tabs: handing a live episode over to another node failed; its lease lapses');
          ack(answer);
        },
      );
    });
  }
  // Asks the other nodes first (each takes the task from its own tabs when `takeOver`). A node that does not answer
  // within the adapter's timeout (it died without leaving) has no tab that could play.
  const openOnOtherNode = (claim: RemoteTabClaim): Promise<boolean> =>
    new Promise((resolve) => {
      io.serverSideEmit('tabs:claim', claim, (err, answers) => {
        if (err) log.warn({ err }, 'tabs: not every node answered a claim; their tabs count as closed');
        resolve(answers.some((a) => RemoteTabClaimAnswerSchema.safeParse(a).data?.othersOpen === true));
      });
    });

  io.on('connection', (socket) => {
    const on = socketRequests(socket, log);
    const identity = socket.data.identity;
    on('session:claim', TabClaimPayloadSchema, async (p) => {
      if (!identity) throw new AppError('unauthenticated', 'open your invitation link first');
      if (identity.kind !== 'participant') throw new AppError('forbidden', 'only participants claim a task');
      const { participantId } = identity;
      const elsewhere = crossNode && (await openOnOtherNode({ participantId, tabId: p.tabId, takeOver: p.takeOver }));
      // Closed while the other nodes answered: nobody is left to tell, and a closed socket must not be recorded.
      if (!socket.connected) return { state: 'open_elsewhere' as const };
      return tabs.claim(participantId, socket, p.tabId, p.takeOver, elsewhere);
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
