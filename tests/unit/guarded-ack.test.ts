import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import type { Ack } from '../../shared/protocol/acks.ts';
import type { Identity } from '../../shared/schemas/identity.ts';
import { guardedAck } from '../../server/realtime/guarded-ack.ts';

/** Fastify's own pino logger, writing its JSON lines into an array instead of stdout. */
function capturedLog(): { log: ReturnType<typeof Fastify>['log']; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { log: Fastify({ logger: { level: 'debug', stream } }).log, lines };
}

const actor: Identity = { kind: 'participant', participantId: 'p-1', studyId: 's-1', role: 'actor' };
const Payload = z.strictObject({ episodeId: z.string(), text: z.string() });

/** Calls the wrapped handler the way Socket.IO does (payload, then the ack callback) and returns the ack. */
function request(handler: (payload: z.infer<typeof Payload>) => Promise<unknown>, payload: unknown) {
  const captured = capturedLog();
  const listener = guardedAck(
    { event: 'episode:reply', socket: { id: 'socket-9', data: { identity: actor } }, log: captured.log },
    Payload,
    handler,
  );
  const ack = new Promise<Ack<unknown>>((resolve) => listener(payload, resolve));
  return { ack, lines: captured.lines };
}

describe('guardedAck', () => {
  it('answers an AppError with its code and issues, and logs nothing', async () => {
    const issues = [{ path: '$.scores.clarity', message: 'missing' }];
    const withIssues = request(
      async () => {
        throw new AppError('invalid_payload', 'score every criterion', { issues });
      },
      { episodeId: 'e-1', text: 'hi' },
    );
    expect(await withIssues.ack).toEqual({ ok: false, error: 'invalid_payload', issues });
    const plain = request(
      async () => {
        throw new AppError('not_your_turn', 'the model has not asked you anything yet');
      },
      { episodeId: 'e-1', text: 'hi' },
    );
    // Without issues of its own, the message is the one issue, at the root (the client shows it).
    expect(await plain.ack).toEqual({
      ok: false,
      error: 'not_your_turn',
      issues: [{ path: '$', message: 'the model has not asked you anything yet' }],
    });
    expect([...withIssues.lines, ...plain.lines]).toEqual([]);
  });

  it('answers any other error `internal` with no exception text, and logs it with its stack and the socket context', async () => {
    const { ack, lines } = request(
      async () => {
        throw new TypeError('cannot read properties of undefined (disk-on-fire)');
      },
      { episodeId: 'e-7', text: 'hi' },
    );
    const answer = await ack;
    expect(answer).toEqual({ ok: false, error: 'internal' });
    expect(JSON.stringify(answer)).not.toContain('disk-on-fire');
    expect(lines).toHaveLength(1);
    const entry = lines[0] as Record<string, unknown> & { err: { type: string; message: string; stack: string } };
    expect(entry).toMatchObject({
      level: 50,
      msg: 'socket request failed',
      event: 'episode:reply',
      socketId: 'socket-9',
      identity: 'participant',
      role: 'actor',
      participantId: 'p-1',
      studyId: 's-1',
      episodeId: 'e-7',
    });
    expect(entry.err.type).toBe('TypeError');
    expect(entry.err.stack).toContain('disk-on-fire');
    expect(entry.err.stack).toContain('guarded-ack.test.ts');
  });

  it('logs an AppError coded `internal` too: it is a bug however it was thrown', async () => {
    const { ack, lines } = request(
      async () => {
        throw new AppError('internal', 'should not happen');
      },
      { episodeId: 'e-1', text: 'hi' },
    );
    expect(await ack).toEqual({ ok: false, error: 'internal' });
    expect(lines.map((l) => [l.level, l.msg])).toEqual([[50, 'socket request failed']]);
  });

  it('refuses a payload its schema rejects with the fields at fault, without calling the handler', async () => {
    let called = false;
    const { ack, lines } = request(
      async () => {
        called = true;
      },
      { episodeId: 3 },
    );
    const answer = await ack;
    expect(answer.ok).toBe(false);
    expect(answer.ok === false && answer.error).toBe('invalid_payload');
    expect(answer.ok === false && answer.issues?.map((i) => i.path)).toEqual(['$.episodeId', '$.text']);
    expect(called).toBe(false);
    expect(lines).toEqual([]);
  });

  it('answers data the handler returns', async () => {
    const { ack } = request(async (p) => ({ seq: 4, echo: p.text }), { episodeId: 'e-1', text: 'hi' });
    expect(await ack).toEqual({ ok: true, data: { seq: 4, echo: 'hi' } });
  });
});
