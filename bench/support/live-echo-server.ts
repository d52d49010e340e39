import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';
import { CHUNK_WINDOW_MS, ChunkCoalescer } from '../../server/services/live/chunk-coalescer.ts';

/**
 * The physical reference for the live bench: a bare Socket.IO server on 127.0.0.1 speaking just enough of the live
 * protocol for the same actor clients, with the same message pattern as the app (opening, streamed turns at the
 * model's pace, the reply echoed and acked at once, the final answer, the rating) and nothing else: no storage, no
 * auth, no engine, no model calls. The bench's figure is the app's latency and CPU divided by this server's. The
 * model's pieces go through the app's own ChunkCoalescer with the app's window, so both send the same frames.
 *
 * Run as a forked child (`--import tsx`); env ECHO_CHUNKS, ECHO_CHUNK_DELAY_MS, ECHO_QUESTIONS, ECHO_CRITERIA.
 * Sends {port} over IPC once listening.
 */

const chunks = Number(process.env.ECHO_CHUNKS ?? 20);
const chunkDelayMs = Number(process.env.ECHO_CHUNK_DELAY_MS ?? 50);
const questions = Number(process.env.ECHO_QUESTIONS ?? 3);
const rubric = Array.from({ length: Number(process.env.ECHO_CRITERIA ?? 9) }, (_, i) => ({
  preference: `criterion ${i}`,
}));

type AckFn = (result: { ok: true; data: unknown }) => void;

let joined = 0;
const http = createServer((req, res) => {
  // The invitation link: every join is a new person with their own session cookie, as in the app.
  if (req.method === 'POST' && req.url?.startsWith('/api/join/')) {
    req.resume();
    joined += 1;
    res.writeHead(200, {
      'content-type': 'application/json',
      'set-cookie': `pd_session=echo-${joined}; Path=/; HttpOnly`,
    });
    res.end(JSON.stringify({ participantId: `p${joined}`, resumed: false }));
    return;
  }
  // The consent step, as the app's join helper walks it: the journey names the consent text's hash, the answer agrees.
  if (req.method === 'GET' && req.url === '/api/participant/journey') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ consent: { sha256: 'echo' } }));
    return;
  }
  if (req.method === 'POST' && req.url === '/api/participant/consent') {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    return;
  }
  res.writeHead(404).end();
});
const io = new Server(http, { serveClient: false });

io.on('connection', (socket: Socket) => {
  // A person keeps their socket from one episode to the next: each play:start begins a new episode on it.
  let episodeId = randomUUID();
  let seq = -1;
  const chunker = new ChunkCoalescer(
    CHUNK_WINDOW_MS,
    (turn, index, delta) => void socket.emit('episode:chunked', { episodeId, turn, index, delta }),
  );
  const append = (event: Record<string, unknown>): void => {
    seq += 1;
    socket.emit('episode:appended', { episodeId, event: { seq, prevSeq: seq - 1, ...event } });
  };
  // As the engine does after the last reply: the model answers (turn `questions`), and after the automatic ###STOP###
  // it is asked for its final answer, which streams as one more turn. So 2 streamed turns follow the last reply.
  const stream = (turn: number): void => {
    const answer = turn >= questions;
    const final = turn > questions;
    const text = answer
      ? 'The answer is 720, explained simply.'
      : `Question ${turn + 1}: what would help you most here?`;
    const piece = Math.ceil(text.length / chunks);
    // Each piece is scheduled after the previous one, as the fake model writes them (a sleep between writes), so the
    // coalescer's window meets the pieces the way it meets them in the app.
    const step = (i: number): void =>
      void setTimeout(
        () => {
          if (!socket.connected) return;
          chunker.add(turn, text.slice(i * piece, (i + 1) * piece));
          if (i < chunks - 1) return step(i + 1);
          chunker.flush();
          chunker.ended();
          append({
            type: 'message',
            role: 'assistant',
            kind: final ? 'final_answer' : 'question',
            turn,
            text,
            final: answer,
          });
          if (final) append({ type: 'episode_completed' });
          else if (answer) stream(turn + 1);
        },
        i === 0 ? 0 : chunkDelayMs,
      );
    step(0);
  };

  socket.on('play:start', (_payload: unknown, ack: AckFn) => {
    episodeId = randomUUID();
    seq = -1;
    ack({
      ok: true,
      data: {
        episodeId,
        status: 'running',
        rubric,
        events: [],
        streaming: null,
        awaitingTurn: null,
        completionCode: null,
      },
    });
    append({ type: 'message', role: 'user', kind: 'opening', turn: 0, text: 'Please help me with this problem.' });
    stream(0);
  });
  socket.on('episode:reply', (payload: { clientMessageId: string; text: string }, ack: AckFn) => {
    const turn = Number(/reply-(\d+)$/.exec(payload.clientMessageId)?.[1] ?? 0);
    append({
      type: 'message',
      role: 'user',
      kind: 'reply',
      turn,
      text: payload.text,
      clientMessageId: payload.clientMessageId,
    });
    ack({ ok: true, data: { seq, duplicate: false } });
    stream(turn + 1);
  });
  socket.on('disconnect', () => chunker.discard());
  socket.on('episode:rate', (_payload: unknown, ack: AckFn) => {
    append({ type: 'actor_rated' });
    ack({ ok: true, data: { seq, completionCode: 'C0DE-OK' } });
  });
});

http.listen(0, '127.0.0.1', () => {
  process.send?.({ port: (http.address() as AddressInfo).port });
});
process.on('disconnect', () => {
  void io.close();
  process.exit(0);
});
