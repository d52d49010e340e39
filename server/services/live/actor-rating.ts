import { AppError } from '../../../shared/errors.ts';
import type { BenchmarkRecord } from '../../../shared/schemas/benchmark.ts';

/** The person's own rating of the final answer, as the rating page sends it. */
export interface ActorRating {
  scores: Record<string, number>;
  correct?: 0 | 1;
  justification?: string;
  secondsSpent: number;
}

/**
 * The `actor_rated` event for a rating (LiveSessions.rate); `invalid_payload` unless its scores cover every criterion
 * of the record's rubric exactly.
 */
export function actorRatedEvent(record: BenchmarkRecord | null | undefined, rating: ActorRating) {
  const criteria = (record?.evaluation_rubric.evaluation_criteria ?? []).map((c) => c.preference);
  const given = Object.keys(rating.scores);
  const missing = criteria.filter((c) => !given.includes(c));
  const unknown = given.filter((g) => !criteria.includes(g));
  if (missing.length > 0 || unknown.length > 0) {
    throw new AppError(
      'invalid_payload',
      `scores must cover every criterion exactly: ${missing.length ? `missing ${missing.join(', ')}` : ''}${unknown.length ? ` unknown ${unknown.join(', ')}` : ''}`.trim(),
    );
  }
  return {
    type: 'actor_rated' as const,
    scores: rating.scores,
    // Absent when the page did not ask it (actors are no longer asked about correctness).
    ...(rating.correct === undefined ? {} : { correct: rating.correct }),
    ...(rating.justification ? { justification: rating.justification } : {}),
    secondsSpent: rating.secondsSpent,
  };
}
