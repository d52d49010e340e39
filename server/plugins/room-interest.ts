import type { BroadcastOptions } from 'socket.io-adapter';

/**
 * Broadcasts to live-episode rooms leave this node only when another node has a socket in the room.
 *
 * Why: with sticky sessions an actor's socket is on the node that plays the episode, so every stream chunk and event
 * of the actor room went out as a NOTIFY that every other node received, parsed and matched against rooms it does not
 * have, and the adapter held each chunk back from the local socket until its NOTIFY returned. Other nodes need an
 * episode's broadcasts only while one of their sockets is in its room (a researcher watching there, an actor whose tab
 * reached another node).
 *
 * How: each node tells the others which gated rooms it has sockets in, over the adapter's own channel: `join` when a
 * room gets its first socket here, `leave` when it empties, and its whole `list` when asked. A broadcast whose rooms
 * all are gated and known to be empty on every other node is delivered here only.
 *
 * Why nothing is lost: a join returns (the `await socket.join(room)` of the play handlers) only once every other node
 * has acknowledged it, so a broadcast decided after that is shared; one decided before it is of an event stored
 * before the acknowledgement, which the joining socket's snapshot, read after the join, contains. A node shares every
 * broadcast until it holds the list of every node it has heard from and a heartbeat timeout has passed since it
 * started (so it has heard from every live node); a node that goes silent is forgotten with its rooms. If a node does
 * not acknowledge a join within ACK_TIMEOUT_MS the join goes on: clients resync on a seq or chunk-index gap. A node
 * whose adapter connection was replaced asks for every list again (its listener may have missed joins meanwhile).
 *
 * Order: a broadcast kept here waits for this node's broadcasts still on their way to PostgreSQL (the adapter delivers
 * those locally only once their NOTIFY returned), so local sockets get them in emit order as before.
 */

/** The rooms whose broadcasts may stay on their node: the live episodes' actor and watch rooms (play-handlers.ts). */
export const isGatedRoom = (room: unknown): room is string => typeof room === 'string' && room.startsWith('episode:');

/** The message type of this protocol on the adapter's channel: not one of socket.io-adapter's (numbers). */
const INTEREST = 'prefdisco:room-interest';
const ACK_TIMEOUT_MS = 2_000;
/** How often a node asks a silent-listed node for its list again. */
const ASK_AGAIN_MS = 1_000;

type InterestData =
  | { op: 'join'; rooms: string[]; requestId: string }
  | { op: 'leave'; rooms: string[] }
  | { op: 'list'; rooms: string[] }
  | { op: 'who'; to: string }
  | { op: 'noted'; to: string; requestId: string };

interface Message {
  type: unknown;
  uid?: string;
  data?: unknown;
}

/** The parts of the PostgreSQL adapter (socket.io-adapter's ClusterAdapterWithHeartbeat) this works with. */
export interface InterestAdapter {
  uid: string;
  rooms: Map<string, Set<string>>;
  on(event: 'delete-room', listener: (room: unknown) => void): unknown;
  addAll(id: string, rooms: Set<string>): Promise<void> | void;
  broadcast(packet: unknown, opts: BroadcastOptions): Promise<void>;
}

/** What the adapter does not declare publicly but has (socket.io-adapter 2.5's cluster adapter). */
interface AdapterInternals {
  nodesMap: Map<string, number>;
  onMessage(message: Message, offset?: string): void;
  publish(message: Message): void;
  removeNode(uid: string): void;
  _opts?: { heartbeatTimeout?: number };
}

export interface RoomInterestStats {
  /** Broadcasts delivered on this node only, and broadcasts shared with the other nodes. */
  kept: number;
  shared: number;
  /** Whether this node knows every other node's rooms (before that it shares every broadcast). */
  ready(): boolean;
}

const statsOf = new WeakMap<object, RoomInterestStats>();

/** The counters of an adapter set up by {@link gateBroadcasts}, or null. */
export function roomInterestStats(adapter: object): RoomInterestStats | null {
  return statsOf.get(adapter) ?? null;
}

function parse(message: Message): InterestData | null {
  if (message.type !== INTEREST || typeof message.data !== 'object' || message.data === null) return null;
  return message.data as InterestData;
}

/** What the adapter's owner can still do with a gated adapter. */
export interface BroadcastGate {
  /**
   * Forgets every other node's rooms, so broadcasts are shared again until the lists are asked for and back. Called
   * when the adapter opened a new PostgreSQL connection: a listener that was away missed joins and leaves.
   */
  forget(): void;
}

export function gateBroadcasts(adapter: InterestAdapter, warn: (message: string) => void): BroadcastGate {
  const internals = adapter as unknown as InterestAdapter & AdapterInternals;
  const self = adapter.uid;
  const startedAt = Date.now();
  const settleMs = internals._opts?.heartbeatTimeout ?? 10_000;
  /** Per other node, the gated rooms it has sockets in; a node is here once its list arrived. */
  const remote = new Map<string, Set<string>>();
  const askedAt = new Map<string, number>();
  const waiting = new Map<string, { missing: Set<string>; done: () => void }>();
  const joining = new Map<string, Promise<void>>();
  let requests = 0;
  const stats: RoomInterestStats = {
    kept: 0,
    shared: 0,
    ready: () => Date.now() - startedAt >= settleMs && [...internals.nodesMap.keys()].every((uid) => remote.has(uid)),
  };
  statsOf.set(adapter, stats);

  const send = (data: InterestData): void => internals.publish({ type: INTEREST, data });
  const localRooms = (): string[] => [...adapter.rooms.keys()].filter(isGatedRoom);
  const heardElsewhere = (room: string): boolean => {
    for (const rooms of remote.values()) if (rooms.has(room)) return true;
    return false;
  };

  /** Resolves once every node known now has noted the join (or ACK_TIMEOUT_MS passed). */
  const announce = (rooms: string[]): Promise<void> => {
    const missing = new Set(internals.nodesMap.keys());
    const requestId = `${self}-${++requests}`;
    send({ op: 'join', rooms, requestId });
    if (missing.size === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        waiting.delete(requestId);
        warn(`socket adapter: ${[...missing].length} node(s) did not note a room join within ${ACK_TIMEOUT_MS} ms`);
        resolve();
      }, ACK_TIMEOUT_MS);
      waiting.set(requestId, {
        missing,
        done: () => {
          clearTimeout(timer);
          waiting.delete(requestId);
          resolve();
        },
      });
    });
  };
  const noted = (requestId: string, uid: string): void => {
    const request = waiting.get(requestId);
    if (!request) return;
    request.missing.delete(uid);
    if (request.missing.size === 0) request.done();
  };

  const addAll = adapter.addAll.bind(adapter);
  adapter.addAll = (id, rooms) => {
    const created = [...rooms].filter((r) => isGatedRoom(r) && !adapter.rooms.has(r));
    void addAll(id, rooms);
    if (created.length > 0) {
      const announced = announce(created);
      for (const room of created) joining.set(room, announced);
      void announced.then(() => {
        for (const room of created) if (joining.get(room) === announced) joining.delete(room);
      });
    }
    // A second socket joining while the first one's announcement is on its way waits for it too.
    const pending = [...rooms].flatMap((r) => joining.get(r) ?? []);
    return pending.length === 0 ? undefined : Promise.all(pending).then(() => undefined);
  };
  adapter.on('delete-room', (room) => {
    if (isGatedRoom(room)) send({ op: 'leave', rooms: [room] });
  });

  // Order: `tail` settles when the last broadcast begun here was delivered to this node's sockets; `pending` counts
  // those not yet delivered, `chained` those waiting for an earlier one before they begin.
  const broadcast = adapter.broadcast.bind(adapter);
  let pending = 0;
  let chained = 0;
  let tail: Promise<void> = Promise.resolve();
  const track = (sent: Promise<void>): Promise<void> => {
    pending += 1;
    tail = sent.catch(() => undefined).finally(() => (pending -= 1));
    return sent;
  };
  const after = (run: () => Promise<void>): Promise<void> => {
    chained += 1;
    return track(
      tail.then(() => {
        chained -= 1;
        return run();
      }),
    );
  };
  adapter.broadcast = (packet, opts) => {
    const rooms = [...opts.rooms];
    const keep =
      opts.flags?.local !== true &&
      rooms.length > 0 &&
      rooms.every((r) => isGatedRoom(r) && !heardElsewhere(r)) &&
      stats.ready();
    if (keep) {
      stats.kept += 1;
      // With the local flag the adapter delivers at once, without a NOTIFY.
      const local = { ...opts, flags: { ...opts.flags, local: true } };
      return pending === 0 && chained === 0 ? broadcast(packet, local) : after(() => broadcast(packet, local));
    }
    stats.shared += 1;
    // Shared broadcasts begun one after another keep their order by themselves (one sending connection, delivered
    // here when their NOTIFY returns); one begun behind a kept one waits for it.
    return chained === 0 ? track(broadcast(packet, opts)) : after(() => broadcast(packet, opts));
  };

  const onMessage = internals.onMessage.bind(adapter);
  internals.onMessage = (message, offset) => {
    onMessage(message, offset);
    const from = message.uid;
    if (from === undefined || from === self) return;
    const data = parse(message);
    if (data?.op === 'join') {
      for (const room of data.rooms) remote.get(from)?.add(room);
      send({ op: 'noted', to: from, requestId: data.requestId });
    } else if (data?.op === 'leave') {
      for (const room of data.rooms) remote.get(from)?.delete(room);
    } else if (data?.op === 'list') {
      remote.set(from, new Set(data.rooms));
    } else if (data?.op === 'who' && data.to === self) {
      send({ op: 'list', rooms: localRooms() });
    } else if (data?.op === 'noted' && data.to === self) {
      noted(data.requestId, from);
    }
    // A node whose rooms are not known yet (it started after this one's list went out, or this one missed it).
    if (!remote.has(from) && internals.nodesMap.has(from) && Date.now() - (askedAt.get(from) ?? 0) >= ASK_AGAIN_MS) {
      askedAt.set(from, Date.now());
      send({ op: 'who', to: from });
    }
  };

  const removeNode = internals.removeNode.bind(adapter);
  internals.removeNode = (uid) => {
    removeNode(uid);
    remote.delete(uid);
    askedAt.delete(uid);
    for (const request of waiting.values()) {
      request.missing.delete(uid);
      if (request.missing.size === 0) request.done();
    }
  };

  // The others learn this node's rooms (none yet) without asking.
  send({ op: 'list', rooms: [] });
  return {
    forget: () => {
      remote.clear();
      askedAt.clear();
    },
  };
}
