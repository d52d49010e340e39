import type { SeatKind } from '../../../shared/schemas/episode.ts';
import type { Mode, UserType } from '../../../shared/schemas/evaluation.ts';
import type { EpisodeStatus, EpisodeSummary } from '../episode-storage.ts';
import type { LiveEpisodeInfo } from '../live-storage.ts';

// The `episodes` row and its mappers, for both engines (migration 002 and the live columns of 005): the same column
// names, and the same JavaScript types (`weighted_score` a double, `correct` an integer, times ISO text).

export interface EpisodeRow {
  id: string;
  run_id: string | null;
  problem_id: string;
  persona_id: string;
  mode: string;
  user_type: string;
  user_seat: string;
  status: string;
  weighted_score: number | null;
  correct: number | null;
  interaction_turns: number | null;
  assistant_model: string;
  judge_model: string;
  simulator_model: string | null;
  failure_stage: string | null;
  failure_reason: string | null;
  started_at: string;
  ended_at: string | null;
}

/** An episode row with its live columns (null for batch episodes). */
export interface LiveEpisodeRow extends EpisodeRow {
  study_id: string | null;
  participant_id: string | null;
  assignment_id: string | null;
  spec_json: string | null;
}

export function episodeRowToSummary(r: EpisodeRow): EpisodeSummary {
  return {
    id: r.id,
    runId: r.run_id,
    problemId: r.problem_id,
    personaId: r.persona_id,
    mode: r.mode as Mode,
    userType: r.user_type as UserType,
    userSeat: r.user_seat as SeatKind,
    status: r.status as EpisodeStatus,
    weightedScore: r.weighted_score,
    correct: r.correct === null ? null : r.correct ? 1 : 0,
    interactionTurns: r.interaction_turns,
    assistantModel: r.assistant_model,
    judgeModel: r.judge_model,
    simulatorModel: r.simulator_model,
    failure: r.failure_stage === null ? null : { stage: r.failure_stage, reason: r.failure_reason ?? '' },
    startedAt: r.started_at,
    endedAt: r.ended_at,
  };
}

export function toLiveEpisodeInfo(row: LiveEpisodeRow): LiveEpisodeInfo {
  return {
    summary: episodeRowToSummary(row),
    studyId: row.study_id ?? '',
    participantId: row.participant_id ?? '',
    assignmentId: row.assignment_id,
    spec: row.spec_json ? (JSON.parse(row.spec_json) as Record<string, unknown>) : {},
  };
}
