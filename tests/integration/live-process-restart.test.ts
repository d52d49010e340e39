import { join } from 'node:path';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActorEvent, ChunkMessage } from '../../shared/protocol/live.ts';
import { agreeToConsentOverHttp } from '../support/consent-agreement.ts';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fake-openai-server.ts';
import { request, until, type TestSocket } from '../support/live-app.ts';
import { roleResponder } from '../support/role-responder.ts';
import { serveProcess } from '../support/serve-process.ts';
import { tempDir, writeFile } from '../support/temp-files.ts';

const dir = tempDir();
let models: FakeOpenAiServer;

beforeAll(async () => {
  models = await startFakeOpenAiServer();
  // The model under test streams each turn in 30 pieces, 20 ms apart: long enough to kill the server mid-turn.
  models.respondWith(roleResponder({ questions: 3, chunks: 30, chunkDelayMs: 20 }));
});
afterAll(async () => {
  await models.close();
});

async function json(res: Response): Promise<Record<string, unknown>> {
  return (await res.json()) as Record<string, unknown>;
}

describe('a live episode survives a killed server process', () => {
  it('SIGKILL mid-stream, restart: the actor resumes, the interrupted turn is regenerated, nothing acknowledged is lost or repeated', async () => {
    const modelsFile = writeFile(
      dir,
      'models.json',
      JSON.stringify({
        models: [
          {
            name: 'mut',
            provider: 'openai-compatible',
            model: 'mut',
            baseUrl: models.baseUrl,
            maxRetries: 1,
            retryBaseDelayMs: 10,
          },
          {
            name: 'judge',
            provider: 'openai-compatible',
            model: 'judge',
            baseUrl: models.baseUrl,
            maxRetries: 1,
            retryBaseDelayMs: 10,
          },
        ],
      }),
    );
    const env = {
      PREFDISCO_DB: join(dir, 'live.sqlite'),
      PREFDISCO_MODELS_FILE: modelsFile,
      PREFDISCO_LOG_LEVEL: 'info',
      PREFDISCO_ADMIN_USERNAME: 'admin',
      PREFDISCO_ADMIN_PASSWORD: 'a long enough password',
    };
    let server = await serveProcess(env);

    // The researcher configures and opens the sample study for live play with the HTTP model, and makes an actor link.
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'a long enough password' }),
    });
    const researcher = {
      cookie: (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '',
      'content-type': 'application/json',
    };
    const studies = (await json(await fetch(`${server.url}/api/studies`, { headers: researcher }))).studies as {
      id: string;
    }[];
    const studyId = studies[0]?.id ?? '';
    const settings = await fetch(`${server.url}/api/studies/${studyId}/settings`, {
      method: 'PUT',
      headers: researcher,
      body: JSON.stringify({
        models: ['mut'],
        judgeModel: 'judge',
        simulatorModel: 'judge',
        simulatedTwin: false,
        completionCodes: { completed: 'C0DE-OK' },
        records: { kind: 'list', problemIds: ['problem_0_okafor_3b09eb59'] },
      }),
    });
    expect(settings.status, await settings.clone().text()).toBe(200);
    expect(
      (await fetch(`${server.url}/api/studies/${studyId}/open`, { method: 'POST', headers: researcher, body: '{}' }))
        .status,
    ).toBe(200);
    const invite = (
      await json(
        await fetch(`${server.url}/api/studies/${studyId}/invites`, {
          method: 'POST',
          headers: researcher,
          body: JSON.stringify({ role: 'actor' }),
        }),
      )
    ).invite as { code: string };

    // The actor joins through the link (with a Prolific id) and starts playing.
    const joined = await fetch(`${server.url}/api/join/${invite.code}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ PROLIFIC_PID: '5f0c1a2b3c4d5e6f7a8b9c0d' }),
    });
    expect(joined.status).toBe(200);
    const cookie = (joined.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    await agreeToConsentOverHttp(server.url, { cookie });
    const open = (url: string): Promise<TestSocket> =>
      new Promise((resolve, reject) => {
        const s: TestSocket = connect(url, {
          transports: ['websocket'],
          forceNew: true,
          reconnection: false,
          extraHeaders: { cookie },
        });
        s.once('connect', () => resolve(s));
        s.once('connect_error', reject);
      });
    const events = new Map<number, ActorEvent>();
    const chunks: ChunkMessage[] = [];
    const listen = (s: TestSocket): void => {
      s.on('episode:appended', ({ event }) => events.set(event.seq, event));
      s.on('episode:chunked', (c) => chunks.push(c));
    };
    let socket = await open(server.url);
    listen(socket);
    const snapshot = await request(socket, 'play:start', {});
    const questions = (): ActorEvent[] =>
      [...events.values()]
        .filter((e) => e.type === 'message' && e.role === 'assistant' && !e.final)
        .sort((a, b) => a.seq - b.seq);
    await until(() => questions().length === 1, 15_000, 'the first question');
    const acked = await request(socket, 'episode:reply', {
      episodeId: snapshot.episodeId,
      clientMessageId: 'reply-0',
      text: 'I keep bees in Leeds.',
    });
    await until(() => chunks.filter((c) => c.turn === 1).length >= 3, 15_000, 'the second turn streaming');

    // Crash: no shutdown, no flush.
    expect(await server.stop('SIGKILL')).toBeNull();
    socket.close();

    server = await serveProcess(env);
    socket = await open(server.url);
    listen(socket);
    const resumed = await request(socket, 'play:start', {});
    expect(resumed.episodeId).toBe(snapshot.episodeId);
    for (const e of resumed.events) events.set(e.seq, e);
    await until(() => questions().length === 2, 15_000, 'the regenerated second question');
    const second = questions()[1];
    expect(second).toMatchObject({ turn: 1, regenerated: true });
    // The reply acknowledged before the crash is there once, with its seq.
    const replies = [...events.values()].filter((e) => e.type === 'message' && e.kind === 'reply');
    expect(replies).toEqual([
      expect.objectContaining({ seq: acked.seq, clientMessageId: 'reply-0', text: 'I keep bees in Leeds.' }),
    ]);
    // A resend of that reply after the restart is recognised.
    expect(
      await request(socket, 'episode:reply', {
        episodeId: snapshot.episodeId,
        clientMessageId: 'reply-0',
        text: 'I keep bees in Leeds.',
      }),
    ).toEqual({ seq: acked.seq, duplicate: true });

    // The actor carries on to the end and rates the answer.
    let turn = 1;
    while (![...events.values()].some((e) => e.type === 'episode_completed')) {
      await until(
        () => questions().length > turn || [...events.values()].some((e) => e.type === 'episode_completed'),
        15_000,
        `turn ${turn}`,
      );
      if (questions().length > turn) {
        await request(socket, 'episode:reply', {
          episodeId: snapshot.episodeId,
          clientMessageId: `reply-${turn}`,
          text: `Answer ${turn}`,
        });
        turn += 1;
      }
    }
    const rubric = resumed.rubric.map((c) => c.preference);
    const rated = await request(socket, 'episode:rate', {
      episodeId: snapshot.episodeId,
      scores: Object.fromEntries(rubric.map((p) => [p, 3])),
      correct: 1,
      secondsSpent: 30,
    });
    expect(rated.completionCode).toBe('C0DE-OK');
    const seqs = [...events.keys()].sort((a, b) => a - b);
    expect(new Set(seqs).size).toBe(seqs.length);
    socket.close();

    // The researcher sees the whole log: one episode_started, contiguous seqs, and the regenerated turn marked.
    const episode = await json(
      await fetch(`${server.url}/api/episodes/${snapshot.episodeId}`, { headers: researcher }),
    );
    const log = episode.events as { seq: number; type: string; kind?: string; regenerated?: boolean }[];
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i));
    expect(log.filter((e) => e.type === 'episode_started')).toHaveLength(1);
    expect(log.filter((e) => e.kind === 'question' && e.regenerated)).toHaveLength(1);
    expect(await server.stop()).toBe(0);
  }, 120_000);
});
