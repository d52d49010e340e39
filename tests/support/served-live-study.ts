import { expect } from 'vitest';
import type { z } from 'zod';
import type { ActorEvent, ReplyAckSchema, SelfRatingAckSchema } from '../../shared/protocol/live.ts';
import { agreeToConsentOverHttp } from './consent-agreement.ts';
import { request, until, type TestSocket } from './live-app.ts';
import { call } from './researcher-http.ts';

/**
 * The researcher (`cookie`, signed in on the served app at `url`) opens the sample study (the database's first) for
 * live play with the models 'mut' and 'judge', one problem and the completion code 'C0DE-OK'; `settings` adds to or
 * overrides those. Returns the study's id.
 */
export async function openSampleStudyForPlay(
  url: string,
  cookie: string,
  settings: Record<string, unknown> = {},
): Promise<string> {
  const { studies } = (await call(`${url}/api/studies`, 'GET', cookie)) as { studies: { id: string }[] };
  const studyId = studies[0]?.id ?? '';
  await call(`${url}/api/studies/${studyId}/settings`, 'PUT', cookie, {
    models: ['mut'],
    judgeModel: 'judge',
    simulatorModel: 'judge',
    simulatedTwin: false,
    completionCodes: { completed: 'C0DE-OK' },
    records: { kind: 'list', problemIds: ['problem_0_okafor_3b09eb59'] },
    ...settings,
  });
  await call(`${url}/api/studies/${studyId}/open`, 'POST', cookie, {});
  return studyId;
}

/**
 * A person joins the study through a new actor invite (made by the researcher `cookie`) with a Prolific id, as a
 * browser would, and agrees to the consent; returns their session cookie.
 */
export async function joinAsInvitedActor(
  url: string,
  cookie: string,
  studyId: string,
  prolificPid: string,
): Promise<string> {
  const { invite } = (await call(`${url}/api/studies/${studyId}/invites`, 'POST', cookie, {
    role: 'actor',
  })) as { invite: { code: string } };
  const joined = await fetch(`${url}/api/join/${invite.code}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ PROLIFIC_PID: prolificPid }),
  });
  expect(joined.status).toBe(200);
  const actor = (joined.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  await agreeToConsentOverHttp(url, { cookie: actor });
  return actor;
}

type ReplyAck = z.infer<typeof ReplyAckSchema>;
type SelfRatingAck = z.infer<typeof SelfRatingAckSchema>;

/** What an actor's browser has seen across its sockets (it reconnects to another node): events by seq. */
export interface ActorEventLog {
  events: Map<number, ActorEvent>;
  /** Records every event appended on `socket` from now on. */
  listen(socket: TestSocket): void;
  /** The model's questions (not its final answers), in seq order. */
  questions(): ActorEvent[];
  completed(): boolean;
}

export function actorEventLog(): ActorEventLog {
  const events = new Map<number, ActorEvent>();
  return {
    events,
    listen: (s) => {
      s.on('episode:appended', ({ event }) => events.set(event.seq, event));
    },
    questions: () =>
      [...events.values()]
        .filter((e) => e.type === 'message' && e.role === 'assistant' && !e.final)
        .sort((x, y) => x.seq - y.seq),
    completed: () => [...events.values()].some((e) => e.type === 'episode_completed'),
  };
}

/**
 * The actor answers each of the model's questions on `socket` until the episode completes: reply n (counting the
 * replies already in `acked`) has client message id `reply-n` and the text `text(n)`; each ack is added to `acked`.
 */
export async function replyUntilCompleted(
  socket: TestSocket,
  episodeId: string,
  log: ActorEventLog,
  acked: ReplyAck[],
  text: (turn: number) => string,
): Promise<void> {
  while (!log.completed()) {
    const turn = acked.length;
    await until(() => log.questions().length > turn || log.completed(), 20_000, `turn ${turn}`);
    if (log.questions().length > turn) {
      acked.push(
        await request(socket, 'episode:reply', { episodeId, clientMessageId: `reply-${turn}`, text: text(turn) }),
      );
    }
  }
}

/** The actor rates the final answer 3 on every criterion of `rubric`, after 30 s; resolves with the rating's ack. */
export function rateAllThrees(
  socket: TestSocket,
  episodeId: string,
  rubric: { preference: string }[],
): Promise<SelfRatingAck> {
  return request(socket, 'episode:rate', {
    episodeId,
    scores: Object.fromEntries(rubric.map((c) => [c.preference, 3])),
    secondsSpent: 30,
  });
}
