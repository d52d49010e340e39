import { io as connect } from 'socket.io-client';
import { expect } from 'vitest';
import type { ActorEvent } from '../../shared/protocol/live.ts';
import { agreeToConsentOverHttp } from './consent-agreement.ts';
import { request, until, type TestSocket } from './live-app.ts';

export interface PlayedEpisode {
  episodeId: string;
  /** The model's questions the actor answered (the scripted model asks before it answers). */
  answered: number;
  /** Every event the actor saw, by seq. */
  events: Map<number, ActorEvent>;
  /** The rating's answer (its completion code). */
  completionCode: string | null;
}

/**
 * A person on a served app, as a browser would: joins with an actor invite and a Prolific id, agrees to the consent,
 * plays one live episode over a real socket (answering each question) and rates it (3 on every criterion).
 */
export async function playAsInvitedActor(url: string, inviteCode: string, prolificPid: string): Promise<PlayedEpisode> {
  const joined = await fetch(`${url}/api/join/${inviteCode}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ PROLIFIC_PID: prolificPid }),
  });
  expect(joined.status).toBe(200);
  const actor = (joined.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  await agreeToConsentOverHttp(url, { cookie: actor });
  const socket: TestSocket = await new Promise((resolve, reject) => {
    const s: TestSocket = connect(url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      extraHeaders: { cookie: actor },
    });
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
  try {
    const events = new Map<number, ActorEvent>();
    socket.on('episode:appended', ({ event }) => events.set(event.seq, event));
    const snapshot = await request(socket, 'play:start', {});
    for (const e of snapshot.events) events.set(e.seq, e);
    const completed = (): boolean => [...events.values()].some((e) => e.type === 'episode_completed');
    const questions = (): number =>
      [...events.values()].filter((e) => e.type === 'message' && e.role === 'assistant' && !e.final).length;
    let answered = 0;
    while (!completed()) {
      await until(() => questions() > answered || completed(), 30_000, `turn ${answered}`);
      if (questions() > answered) {
        await request(socket, 'episode:reply', {
          episodeId: snapshot.episodeId,
          clientMessageId: `reply-${answered}`,
          text: `Answer ${answered}`,
        });
        answered += 1;
      }
    }
    const rated = await request(socket, 'episode:rate', {
      episodeId: snapshot.episodeId,
      scores: Object.fromEntries(snapshot.rubric.map((c) => [c.preference, 3])),
      correct: 1,
      secondsSpent: 30,
    });
    return { episodeId: snapshot.episodeId, answered, events, completionCode: rated.completionCode ?? null };
  } finally {
    socket.close();
  }
}
