import type { Socket } from 'socket.io-client';
import { type Ack } from '../../../shared/protocol/acks.ts';
import { isErrorCode } from '../../../shared/errors.ts';
import type { ResyncResult } from '../../../shared/protocol/live.ts';
import { CLIENT_EVENT_NAMES } from '../../../shared/protocol/events.ts';
import { MAX_SOCKET_MESSAGE_BYTES } from '../../../server/plugins/socket-io.ts';
import { caseRef, Fuzz } from './fuzz-random.ts';
import type { FailureKind, FuzzFailure, FuzzRun } from './fuzz-report.ts';
import { FUZZ_ROLES, type FuzzIds, type FuzzRole, type FuzzTarget } from './fuzz-target.ts';

type EventName = (typeof CLIENT_EVENT_NAMES)[number];

/** A valid payload per request event (typed over CLIENT_EVENT_NAMES: a new event without one does not compile). */
const VALID: Record<EventName, (ids: FuzzIds, fz: Fuzz, index: number) => unknown> = {
  'study:list': () => ({}),
  'play:start': () => ({}),
  // Half the cases aim at the other study's episode: ownership is fuzzed along with the payload.
  'episode:reply': (ids, fz, index) => ({
    episodeId: episodeOf(ids, fz),
    clientMessageId: `fuzz-${index % 7}`,
    text: 'I prefer pictures.',
  }),
  'episode:resync': (ids, fz) => ({ episodeId: episodeOf(ids, fz), afterSeq: -1 }),
  'episode:tag': (ids, fz) => ({ episodeId: episodeOf(ids, fz), turn: 0, tag: 'relevant' }),
  'episode:rate': (ids, fz) => ({
    episodeId: episodeOf(ids, fz),
    scores: Object.fromEntries(ids.criteria.map((c) => [c, 3])),
    correct: 1,
    secondsSpent: 12,
  }),
  'episode:watch': (ids, fz) => ({ episodeId: episodeOf(ids, fz) }),
  'rating:next': () => ({}),
  'rating:submit': (ids) => ({
    itemId: ids.itemId,
    scores: Object.fromEntries(ids.criteria.map((c) => [c, 2])),
    correct: 0,
    secondsSpent: 30,
  }),
  'rating:skip': (ids) => ({ itemId: ids.itemId, reason: 'outside_expertise', secondsSpent: 20 }),
  'rating:revise': (ids) => ({
    itemId: ids.itemId,
    scores: Object.fromEntries(ids.criteria.map((c) => [c, 4])),
    correct: 1,
    secondsSpent: 5,
  }),
  'rating:flag': (ids) => ({ itemId: ids.itemId, kind: 'broken', note: 'the options do not load' }),
  'rating:progress': () => ({}),
  // One socket per fuzzed participant: a claim finds no other tab, so taking over changes nothing either way.
  'session:claim': (_ids, fz) => ({ tabId: 'fuzz-tab', takeOver: fz.chance(0.5) }),
};

function episodeOf(ids: FuzzIds, fz: Fuzz): string {
  return fz.chance(0.5) ? ids.episodeId : ids.otherEpisodeId;
}

export interface SocketCase {
  index: number;
  event: EventName;
  role: FuzzRole;
  /** The arguments before the ack callback (usually one payload). */
  args: unknown[];
  mode: 'ack' | 'no-ack' | 'burst' | 'oversized';
  label: string;
}

const MAX_HTTP_BUFFER = MAX_SOCKET_MESSAGE_BYTES;

/** Room for what Socket.IO adds around `[event, ...args]` on the wire: packet types, an ack id, the binary count. */
const PACKET_OVERHEAD_BYTES = 32;

/**
 * A message over the server's size limit is dropped with its connection, by design (server/plugins/socket-io.ts),
 * before anything reads whether it asks for an ack: such a case is 'oversized' whatever it was drawn as (a 'no-ack'
 * case with a long random value was once reported as a crash). The estimate errs high: an 'oversized' case may also
 * be answered normally, but a case the server drops must never be checked for an ack.
 */
function sized(c: SocketCase): SocketCase {
  const json = JSON.stringify([c.event, ...c.args], (_k, v: unknown) => (Buffer.isBuffer(v) ? '' : v)) ?? '';
  if (c.mode === 'oversized' || Buffer.byteLength(json) + PACKET_OVERHEAD_BYTES <= MAX_HTTP_BUFFER) return c;
  return { ...c, mode: 'oversized', label: `${c.label}, over maxHttpBufferSize` };
}

export function socketCase(seed: number, index: number, ids: FuzzIds): SocketCase {
  return sized(drawSocketCase(seed, index, ids));
}

function drawSocketCase(seed: number, index: number, ids: FuzzIds): SocketCase {
  const fz = new Fuzz(seed, index);
  const event = CLIENT_EVENT_NAMES[index % CLIENT_EVENT_NAMES.length] ?? 'study:list';
  const role = fz.pick(FUZZ_ROLES);
  const valid = VALID[event](ids, fz, index);
  const family = fz.weighted([
    [10, 'valid'],
    [55, 'mutate'],
    [15, 'random'],
    [5, 'binary'],
    [5, 'arity'],
    [4, 'no-ack'],
    [5, 'burst'],
    [1, 'oversized'],
  ] as const);
  switch (family) {
    case 'valid':
      return { index, event, role, args: [valid], mode: 'ack', label: 'valid' };
    case 'mutate': {
      const m = fz.mutate(valid);
      return { index, event, role, args: [m.value], mode: 'ack', label: m.label };
    }
    case 'random':
      return { index, event, role, args: [fz.value(3)], mode: 'ack', label: 'random value' };
    case 'binary': {
      const bytes = Buffer.from(Array.from({ length: 1 + fz.int(64) }, () => fz.int(256)));
      return {
        index,
        event,
        role,
        args: [fz.chance(0.5) ? bytes : { ...(valid as object), episodeId: bytes, text: bytes }],
        mode: 'ack',
        label: 'binary payload',
      };
    }
    case 'arity': {
      const args = fz.pick([[], [valid, valid], [valid, 'extra', 42], [undefined, valid]]);
      return { index, event, role, args, mode: 'ack', label: `${args.length} arguments before the ack` };
    }
    case 'no-ack':
      return {
        index,
        event,
        role,
        args: [fz.chance(0.5) ? valid : fz.value(2)],
        mode: 'no-ack',
        label: 'no ack callback',
      };
    case 'burst':
      return { index, event, role, args: [valid], mode: 'burst', label: '10 identical requests at once' };
    default:
      return {
        index,
        event,
        role,
        args: [{ ...(valid as object), text: 'x'.repeat(MAX_HTTP_BUFFER + 10) }],
        mode: 'oversized',
        label: 'message over maxHttpBufferSize',
      };
  }
}

/** An ack (or null after `ms`); 'disconnected' if the server dropped the connection first. */
function emitAck(socket: Socket, event: string, args: unknown[], ms: number): Promise<unknown> {
  return new Promise((resolve) => {
    const onDisconnect = (): void => finish('disconnected');
    const timer = setTimeout(() => finish(null), ms);
    function finish(value: unknown): void {
      clearTimeout(timer);
      socket.off('disconnect', onDisconnect);
      resolve(value);
    }
    socket.once('disconnect', onDisconnect);
    socket.emit(event, ...args, (ack: unknown) => finish(ack));
  });
}

/** What is wrong with an ack ('' when it is a defined answer): `{ok: true, data}` or a closed error code. */
export function ackProblem(ack: unknown): string {
  if (ack === null) return 'no ack in time';
  if (ack === 'disconnected') return 'the server dropped the connection';
  const a = ack as Ack<unknown> | undefined;
  if (a?.ok === true) return 'data' in a ? '' : 'ok without data';
  if (a?.ok !== false) return `not an ack: ${JSON.stringify(ack)?.slice(0, 120)}`;
  if (!isErrorCode(a.error)) return `error code outside the closed list: ${String(a.error)}`;
  // 'internal' is in the list, but it means an exception escaped a handler: the socket's 500.
  if (a.error === 'internal') return 'internal error';
  if (
    a.issues !== undefined &&
    !(Array.isArray(a.issues) && a.issues.every((i) => typeof i?.path === 'string' && typeof i?.message === 'string'))
  ) {
    return `malformed issues ${JSON.stringify(a.issues).slice(0, 120)}`;
  }
  return '';
}

/** Until every fuzzed actor's episode waits for them again (or has ended), then a quiet database. */
async function quiesce(target: FuzzTarget): Promise<void> {
  for (const role of ['actor', 'otherActor'] as const) {
    const episodeId = await target.storage.live.runningFor(target.participantIds[role]);
    if (!episodeId) continue;
    const socket = await target.socket(role);
    const started = Date.now();
    while (Date.now() - started < 10_000) {
      const ack = (await emitAck(
        socket,
        'episode:resync',
        [{ episodeId, afterSeq: 1e9 }],
        5000,
      )) as Ack<ResyncResult> | null;
      if (!ack || typeof ack !== 'object' || !ack.ok || ack.data.awaitingTurn !== null || ack.data.status !== 'running')
        break;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  await target.db.settle(100);
}

/**
 * Runs `cases` seeded socket cases (events round robin, roles and mutations from the seed) over real socket.io
 * clients and checks each: an ack in time with a closed code (never 'internal'), the connection kept (except for a
 * message over the size limit, which the server drops by design), and nothing stored for a refusal.
 */
export async function fuzzSocket(
  target: FuzzTarget,
  options: { seed: number; cases: number; first?: number; timeoutMs?: number },
): Promise<FuzzRun> {
  const failures: FuzzFailure[] = [];
  const outcomes: Record<string, number> = {};
  const timeoutMs = options.timeoutMs ?? 5000;
  const first = options.first ?? 0;
  const started = Date.now();
  let before = target.db.snapshot();
  for (let index = first; index < first + options.cases; index++) {
    const c = socketCase(options.seed, index, target.ids);
    const fail = (kind: FailureKind, reason: string): void =>
      void failures.push({
        seed: options.seed,
        index,
        kind,
        what: `${c.event} as ${c.role} (${c.label})`,
        reason: `${reason} [${caseRef(options.seed, index)}]`,
      });
    const socket = await target.socket(c.role);
    const acks: unknown[] = [];
    if (c.mode === 'no-ack') {
      socket.emit(c.event, ...c.args);
      // The server answers nobody, and must still answer this socket's next request.
      acks.push(await emitAck(socket, 'study:list', [{}], timeoutMs));
    } else if (c.mode === 'burst') {
      acks.push(...(await Promise.all(Array.from({ length: 10 }, () => emitAck(socket, c.event, c.args, timeoutMs)))));
    } else {
      acks.push(await emitAck(socket, c.event, c.args, timeoutMs));
    }
    let refused = false;
    for (const ack of acks) {
      if (c.mode === 'oversized' && ack === 'disconnected') {
        outcomes.dropped = (outcomes.dropped ?? 0) + 1;
        refused = true;
        continue;
      }
      const problem = ackProblem(ack);
      const key = problem ? 'undefined' : (ack as Ack<unknown>).ok ? 'ok' : (ack as { error: string }).error;
      outcomes[key] = (outcomes[key] ?? 0) + 1;
      if (problem) fail(ack === null || ack === 'disconnected' ? 'crash' : 'undefined', problem);
      else if (!(ack as Ack<unknown>).ok) refused = true;
    }
    if (c.event === 'episode:reply' && c.mode === 'burst') {
      // Ten sends of one clientMessageId are one stored reply, acknowledged with one seq.
      const seqs = new Set(
        acks.flatMap((a) => ((a as Ack<{ seq: number }>)?.ok ? [(a as { data: { seq: number } }).data.seq] : [])),
      );
      if (seqs.size > 1) fail('undefined', `one clientMessageId acknowledged with seqs ${[...seqs].join(', ')}`);
    }
    const accepted = acks.some((a) => (a as Ack<unknown> | null)?.ok === true);
    if (refused && !accepted && c.mode !== 'no-ack' && target.db.version() !== before.version) {
      fail(
        'partial',
        `refused but the database changed: ${target.db.changedTables(before).join(', ') || 'rows rewritten'}`,
      );
    }
    if (target.db.version() !== before.version) {
      await quiesce(target);
      before = target.db.snapshot();
    }
  }
  return { cases: options.cases, failures, outcomes, ms: Date.now() - started };
}
