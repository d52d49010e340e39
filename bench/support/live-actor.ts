import { performance } from 'node:perf_hooks';
import { io as connect, type Socket } from 'socket.io-client';
import type { Ack } from '../../shared/protocol/acks.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/protocol/events.ts';
import type { ActorEvent, PlaySnapshot, ResyncResult } from '../../shared/protocol/live.ts';

/**
 * A scripted persona actor speaking the live socket protocol the way the browser does (client/src/store/play-slice.ts):
 * replies to each question after some think time, rates the final answer, and survives its server dying. After a
 * disconnect it opens a new socket (to whatever URL the server now has), catches up with `episode:resync` from the
 * last seq it applied, resumes with `play:start`, and resends an unacknowledged reply with the same clientMessageId.
 * Used by the live bench (one per simulated person, in worker processes) and the crash test.
 */

export type ActorSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export class Disconnected extends Error {
  override name = 'Disconnected';
}

export interface AckedReply {
  episodeId: string;
  clientMessageId: string;
  seq: number;
  duplicate: boolean;
  /** emit → ack, in ms. */
  ms: number;
  /** Sent again after a reconnect (its round trip includes nothing comparable, so benches leave it out). */
  resent: boolean;
}

export interface ActorOptions {
  cookie: string;
  /** The server's URL now; after a crash, resolves once the restarted server listens. */
  serverUrl: () => Promise<string>;
  thinkMs: () => number;
  onReplyAck?: (ack: AckedReply) => void;
  onChunk?: () => void;
  /**
   * How long the person waited for the model's first text of a turn, in ms: from sending play:start (the opening
   * question) or a reply (the next turn) to the first piece of text streamed after it.
   */
  onFirstText?: (ms: number) => void;
  /** Called for each connection attempt the server refused (down, restarting, or over its per-address cap). */
  onRefused?: () => void;
  /** Called the moment a reply has been emitted (the crash test kills the server then, with the reply in flight). */
  onReplySent?: () => void;
  /** How long to wait for any ack or event before calling the episode stuck. */
  stallMs?: number;
  /**
   * When the actor rates: at the model's final answer, as the browser does (its rating page opens on the final answer;
   * the judges score it meanwhile), or once the episode is completed, i.e. judged (default; tests that check the
   * judged log before the rating use it).
   */
  rateAt?: 'final_answer' | 'completed';
  /**
   * The person's open connection, kept across their episodes as the browser keeps its one socket (connectActor); the
   * episode neither opens nor closes one, and a disconnect ends it with an error. Absent: a socket of its own per
   * connection attempt (the crash test's actor, which reconnects as the server restarts).
   */
  socket?: ActorSocket;
  maxConnections?: number;
}

export interface EpisodeOutcome {
  episodeId: string;
  completionCode: string | null;
  connections: number;
}

interface Pending {
  turn: number;
  clientMessageId: string;
  text: string;
  sent: boolean;
}

interface EpisodeState {
  episodeId: string | null;
  events: Map<number, ActorEvent>;
  rubric: string[];
  pending: Pending | null;
  answered: Set<number>;
  completionCode: string | null;
  /** When the person's last start or reply was sent, until the model's next text arrives (onFirstText). */
  textAwaitedSince: number | null;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Wakes the play loop on every event; fails every wait once the socket is gone. */
class Wake {
  private waiters: (() => void)[] = [];
  private rejectGone: (e: Error) => void = () => undefined;
  /** Rejects once the socket has disconnected; every wait races it. */
  private readonly gone = new Promise<never>((_, reject) => {
    this.rejectGone = reject;
  });

  constructor() {
    this.gone.catch(() => undefined);
  }

  notify(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const wake of w) wake();
  }

  fail(error: Error): void {
    this.rejectGone(error);
  }

  /** Resolves on the next event or after `ms` (so a missed wake-up only costs time), rejects on disconnect. */
  next(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const woken = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
      this.waiters.push(resolve);
    });
    return this.race(woken).finally(() => clearTimeout(timer));
  }

  race<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.gone]);
  }
}

/** socket.io-client's default handshake timeout, which the app's browser client does not change. */
const BROWSER_CONNECT_TIMEOUT_MS = 20_000;

function open(url: string, cookie: string): Promise<ActorSocket> {
  return new Promise((resolve, reject) => {
    const socket: ActorSocket = connect(url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      // The browser's wait for a handshake (socket.io-client's default, which client/src/realtime/socket.ts keeps): a
      // slower handshake is a slow connect, counted in the connect time, not a refusal.
      timeout: BROWSER_CONNECT_TIMEOUT_MS,
      extraHeaders: { cookie },
    });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (e) => {
      socket.close();
      reject(e);
    });
  });
}

const has = (s: EpisodeState, type: ActorEvent['type']): boolean => [...s.events.values()].some((e) => e.type === type);

/** Whether the actor may rate now (see ActorOptions.rateAt). */
function readyToRate(s: EpisodeState, rateAt: ActorOptions['rateAt']): boolean {
  if (has(s, 'episode_completed')) return true;
  return (
    rateAt === 'final_answer' &&
    [...s.events.values()].some((e) => e.type === 'message' && e.role === 'assistant' && e.kind === 'final_answer')
  );
}

/** The model's earliest question the actor has not answered yet. */
function openQuestion(s: EpisodeState): number | null {
  for (const e of s.events.values())
    if (e.type === 'message' && e.role === 'user' && e.kind === 'reply') s.answered.add(e.turn);
  const turns = [...s.events.values()]
    .filter((e) => e.type === 'message' && e.role === 'assistant' && e.kind === 'question' && !e.final)
    .map((e) => (e.type === 'message' ? e.turn : -1))
    .filter((t) => !s.answered.has(t));
  return turns.length > 0 ? Math.min(...turns) : null;
}

/**
 * Opens the person's connection, trying again every 100 ms while the server refuses it (down, restarting, or over its
 * per-address cap), up to 300 refusals.
 */
export async function connectActor(
  o: Pick<ActorOptions, 'serverUrl' | 'cookie' | 'onRefused'> & {
    /** Called once connected, with the milliseconds since the first attempt (refusals and their retries included). */
    onConnected?: (ms: number) => void;
  },
): Promise<ActorSocket> {
  const started = performance.now();
  for (let refused = 1; ; refused++) {
    try {
      const socket = await open(await o.serverUrl(), o.cookie);
      o.onConnected?.(performance.now() - started);
      return socket;
    } catch (error) {
      // The server is down or not yet back; serverUrl() will hand out the new address once it listens.
      o.onRefused?.();
      if (refused >= 300) throw new Error(`cannot connect: ${error instanceof Error ? error.message : String(error)}`);
      await sleep(100);
    }
  }
}

/** Plays one episode to its rating, reconnecting as often as the server dies (up to maxConnections). */
export async function playEpisode(o: ActorOptions): Promise<EpisodeOutcome> {
  const s: EpisodeState = {
    episodeId: null,
    events: new Map(),
    rubric: [],
    pending: null,
    answered: new Set(),
    completionCode: null,
    textAwaitedSince: null,
  };
  if (o.socket) {
    await playOn(o.socket, s, o);
    return { episodeId: s.episodeId ?? '', completionCode: s.completionCode, connections: 1 };
  }
  const max = o.maxConnections ?? 100;
  for (let connections = 1; connections <= max;) {
    const socket = await connectActor(o);
    try {
      await playOn(socket, s, o);
      return { episodeId: s.episodeId ?? '', completionCode: s.completionCode, connections };
    } catch (error) {
      if (!(error instanceof Disconnected)) throw error;
      connections += 1;
    } finally {
      socket.close();
    }
  }
  throw new Error(`episode ${s.episodeId} gave up after ${max} connections`);
}

async function playOn(socket: ActorSocket, s: EpisodeState, o: ActorOptions): Promise<void> {
  const wake = new Wake();
  const apply = (e: ActorEvent): void => void s.events.set(e.seq, e);
  // Events that arrive before play:start has named the episode: the new one's opening may come before the ack, and a
  // socket kept from the person's previous episode still hears that one's late events (its judges' end).
  const early: { episodeId: string; event: ActorEvent }[] = [];
  const onAppended: ServerToClientEvents['episode:appended'] = ({ episodeId, event }) => {
    if (s.episodeId === null) early.push({ episodeId, event });
    else if (episodeId === s.episodeId) apply(event);
    wake.notify();
  };
  const adopt = (episodeId: string): void => {
    for (const e of early.splice(0)) if (e.episodeId === episodeId) apply(e.event);
  };
  const onChunked: ServerToClientEvents['episode:chunked'] = ({ episodeId }) => {
    o.onChunk?.();
    // The new episode's opening may stream before play:start's ack has named it.
    if (s.textAwaitedSince !== null && (s.episodeId === null || episodeId === s.episodeId)) {
      o.onFirstText?.(performance.now() - s.textAwaitedSince);
      s.textAwaitedSince = null;
    }
  };
  const onDisconnect = (): void => wake.fail(new Disconnected());
  socket.on('episode:appended', onAppended);
  socket.on('episode:chunked', onChunked);
  socket.on('disconnect', onDisconnect);
  try {
    await playEvents(socket, s, o, wake, apply, adopt);
  } finally {
    // A socket kept for the person's next episode must not carry this one's listeners into it.
    socket.off('episode:appended', onAppended);
    socket.off('episode:chunked', onChunked);
    socket.off('disconnect', onDisconnect);
  }
}

async function playEvents(
  socket: ActorSocket,
  s: EpisodeState,
  o: ActorOptions,
  wake: Wake,
  apply: (e: ActorEvent) => void,
  adopt: (episodeId: string) => void,
): Promise<void> {
  const stallMs = o.stallMs ?? 60_000;
  if (!socket.connected) throw new Disconnected();

  const ask = async <T>(event: keyof ClientToServerEvents, payload: unknown): Promise<Ack<T>> => {
    const raw = socket as unknown as Socket;
    return wake.race(raw.timeout(stallMs).emitWithAck(event, payload) as Promise<Ack<T>>);
  };
  const refused = (what: string, ack: { error: string }): Error =>
    new Error(`${what} refused: ${ack.error} (episode ${s.episodeId})`);

  if (s.episodeId !== null) {
    // As the browser does: catch up on the known episode first; play:start would hand out a new one if it has ended.
    const last = Math.max(-1, ...s.events.keys());
    const r = await ask<ResyncResult>('episode:resync', { episodeId: s.episodeId, afterSeq: last });
    if (!r.ok) throw refused('episode:resync', r);
    r.data.events.forEach(apply);
    if (r.data.completionCode !== null && has(s, 'actor_rated')) {
      s.completionCode = r.data.completionCode;
      return;
    }
  }
  if (s.episodeId === null || !has(s, 'episode_completed')) {
    s.textAwaitedSince = performance.now();
    const r = await ask<PlaySnapshot>('play:start', {});
    if (!r.ok) throw refused('play:start', r);
    if (s.episodeId !== null && r.data.episodeId !== s.episodeId)
      throw new Error(`play:start resumed ${r.data.episodeId}, not ${s.episodeId}`);
    s.episodeId = r.data.episodeId;
    s.rubric = r.data.rubric.map((c) => c.preference);
    r.data.events.forEach(apply);
    adopt(s.episodeId);
  }

  for (;;) {
    const p = s.pending;
    if (p) {
      const resent = p.sent;
      p.sent = true;
      const started = performance.now();
      if (!resent) s.textAwaitedSince = started;
      const acked = ask<{ seq: number; duplicate: boolean }>('episode:reply', {
        episodeId: s.episodeId,
        clientMessageId: p.clientMessageId,
        text: p.text,
      });
      o.onReplySent?.();
      const r = await acked;
      const ms = performance.now() - started;
      if (r.ok) {
        s.answered.add(p.turn);
        s.pending = null;
        o.onReplyAck?.({
          episodeId: s.episodeId,
          clientMessageId: p.clientMessageId,
          seq: r.data.seq,
          duplicate: r.data.duplicate,
          ms,
          resent,
        });
      } else if (r.error === 'not_your_turn') {
        // Just after a restart the recovered engine may not be waiting for the reply yet.
        await wake.next(200);
      } else {
        throw refused('episode:reply', r);
      }
      continue;
    }
    const failed = [...s.events.values()].find((e) => e.type === 'episode_failed');
    if (failed?.type === 'episode_failed') throw new Error(`episode ${s.episodeId} failed: ${failed.code}`);
    if (has(s, 'actor_rated')) return;
    if (readyToRate(s, o.rateAt)) {
      await wake.race(sleep(o.thinkMs()));
      const r = await ask<{ seq: number; completionCode: string | null }>('episode:rate', {
        episodeId: s.episodeId,
        scores: Object.fromEntries(s.rubric.map((c) => [c, 3])),
        correct: 1,
        secondsSpent: 30,
      });
      if (!r.ok) throw refused('episode:rate', r);
      s.completionCode = r.data.completionCode;
      return;
    }
    const turn = openQuestion(s);
    if (turn !== null) {
      await wake.race(sleep(o.thinkMs()));
      s.pending = {
        turn,
        clientMessageId: `${s.episodeId}:reply-${turn}`,
        text: `My answer to question ${turn}: short and practical, please.`,
        sent: false,
      };
      continue;
    }
    const before = s.events.size;
    const waited = performance.now();
    await wake.next(stallMs);
    if (s.events.size === before && performance.now() - waited >= stallMs)
      throw new Error(`episode ${s.episodeId} stalled: nothing for ${stallMs} ms`);
  }
}
