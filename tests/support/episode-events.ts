import type { EpisodeEvent } from '../../shared/schemas/episode.ts';

/** Small valid episode events for storage tests; `at` defaults to a fixed time so stored events compare exactly. */

const AT = '2030-01-01T00:00:00.000Z';

export function messageEvent(
  seq: number,
  over: Partial<Extract<EpisodeEvent, { type: 'message' }>> = {},
): EpisodeEvent {
  return { type: 'message', role: 'user', kind: 'reply', turn: 1, content: `reply ${seq}`, seq, at: AT, ...over };
}

/** The person's own rating of the final answer: after it, the episode is over for them. */
export function actorRatedEvent(seq: number, at = AT): EpisodeEvent {
  return { type: 'actor_rated', scores: { a: 4 }, correct: 1, secondsSpent: 12, seq, at };
}

export function failedEvent(seq: number, code: string, at = AT): EpisodeEvent {
  return { type: 'episode_failed', stage: 'user', code, reason: code, seq, at };
}

export function completedEvent(seq: number, at = AT): EpisodeEvent {
  return { type: 'episode_completed', weightedScore: 3.5, correct: 1, interactionTurns: 2, seq, at };
}
