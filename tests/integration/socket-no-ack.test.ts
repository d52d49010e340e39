import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SOCKET_MESSAGE_BYTES } from '../../server/plugins/socket-io.ts';
import { CLIENT_EVENT_NAMES } from '../../shared/protocol/events.ts';
import { describeFailures } from '../support/fuzz/fuzz-report.ts';
import { ackProblem, fuzzSocket, socketCase } from '../support/fuzz/fuzz-socket.ts';
import { ackWithin, FUZZ_ROLES, startFuzzTarget, type FuzzTarget } from '../support/fuzz/fuzz-target.ts';

/**
 * A request sent without an ack callback is ignored (or handled without an answer): the server never drops the
 * connection for it, and the same socket's next request is still answered. Only a message over the size limit is
 * dropped with its connection, by design (server/plugins/socket-io.ts), and the socket fuzzer must expect that
 * whether or not the message asked for an ack.
 */
let target: FuzzTarget;
beforeAll(async () => {
  target = await startFuzzTarget();
}, 30_000);
afterAll(async () => {
  await target?.close();
});

const SEED = 20_260_101;

/** The fuzzer's valid payload for each event (the first seeded case of that event drawn as 'valid'). */
function validPayloads(): Map<string, unknown> {
  const valid = new Map<string, unknown>();
  for (let index = 0; valid.size < CLIENT_EVENT_NAMES.length && index < 10_000; index++) {
    const c = socketCase(SEED, index, target.ids);
    if (c.label === 'valid' && !valid.has(c.event)) valid.set(c.event, c.args[0]);
  }
  return valid;
}

/** The argument lists sent before the (missing) ack: a valid payload, garbage, none, and one too many. */
function argumentLists(valid: unknown): { label: string; args: unknown[] }[] {
  return [
    { label: 'valid payload', args: [valid] },
    { label: 'wrong shape', args: [{ tabId: 42, takeOver: 'yes', extra: null }] },
    { label: 'a string', args: ['é'.repeat(1000)] },
    { label: 'no payload', args: [] },
    { label: 'two payloads', args: [valid, valid] },
  ];
}

/** Counts the socket's disconnects from now on. */
function disconnects(socket: Socket): { count: () => number; stop: () => void } {
  let count = 0;
  const onDisconnect = (): void => void count++;
  socket.on('disconnect', onDisconnect);
  return { count: () => count, stop: () => void socket.off('disconnect', onDisconnect) };
}

describe('socket requests without an ack', () => {
  it('the fuzz case of a no-ack session:claim over the size limit counts as dropped by design, not as a crash', async () => {
    // The seeded case found by fuzzing: a 150,000-character string sent as session:claim's payload without an ack.
    const found = socketCase(SEED, 3807, target.ids);
    expect(found.event).toBe('session:claim');
    expect(found.label).toContain('no ack callback');
    expect(Buffer.byteLength(JSON.stringify(found.args))).toBeGreaterThan(MAX_SOCKET_MESSAGE_BYTES);

    // First in this file, on a quiet database: the check that a refusal stores nothing compares snapshots.
    await target.db.settle(200);
    const run = await fuzzSocket(target, { seed: SEED, first: 3807, cases: 1 });
    expect(describeFailures(run)).toEqual([]);
    expect(run.outcomes).toEqual({ dropped: 1 });
    // The role's next socket is served as before.
    const again = await ackWithin(await target.socket(found.role), 'study:list', {});
    expect(ackProblem(again ?? null)).toBe('');
  }, 30_000);

  it('every seeded case whose message is over the size limit is one the fuzzer expects the server to drop', () => {
    const overLimit = Array.from({ length: 5000 }, (_, index) => socketCase(SEED, index, target.ids)).filter(
      (c) => Buffer.byteLength(JSON.stringify([c.event, ...c.args]) ?? '') > MAX_SOCKET_MESSAGE_BYTES,
    );
    expect(overLimit.length).toBeGreaterThan(1);
    expect(overLimit.filter((c) => c.mode !== 'oversized').map((c) => `${c.index}: ${c.label}`)).toEqual([]);
  }, 30_000);

  it('session:claim without an ack leaves a participant tab claimable on the same socket', async () => {
    const socket = await target.socket('rater');
    const watch = disconnects(socket);
    socket.emit('session:claim', { tabId: 'no-ack-tab', takeOver: true });
    socket.emit('session:claim', { tabId: 'no-ack-tab', takeOver: 'yes' });
    socket.emit('session:claim');
    const claimed = await ackWithin(socket, 'session:claim', { tabId: 'no-ack-tab', takeOver: false });
    expect(claimed).toEqual({ ok: true, data: { state: 'active' } });
    expect(watch.count()).toBe(0);
    watch.stop();
  });

  it('keep the connection for every client event, as every role, and the next request on it is answered', async () => {
    const valid = validPayloads();
    expect([...valid.keys()].sort()).toEqual([...CLIENT_EVENT_NAMES].sort());
    const problems: string[] = [];
    for (const role of FUZZ_ROLES) {
      const socket = await target.socket(role);
      const watch = disconnects(socket);
      for (const event of CLIENT_EVENT_NAMES) {
        for (const { label, args } of argumentLists(valid.get(event))) {
          socket.emit(event, ...args);
          // Socket.IO delivers one socket's packets in order: this answer comes after the server saw the emit.
          const ack = await ackWithin(socket, 'study:list', {});
          const problem = ackProblem(ack ?? null);
          if (problem || watch.count() > 0 || !socket.connected)
            problems.push(`${event} as ${role} (${label}): ${problem || 'the server dropped the connection'}`);
          if (watch.count() > 0) break;
        }
        if (watch.count() > 0) break;
      }
      watch.stop();
    }
    expect(problems).toEqual([]);
    expect(await target.problems()).toEqual([]);
  }, 60_000);
});
