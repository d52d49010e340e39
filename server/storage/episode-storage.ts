import type { Mode, UserType } from '../../shared/schemas/evaluation.ts';
import type { SeatKind } from '../../shared/schemas/episode.ts';

export type EpisodeStatus = 'running' | 'completed' | 'failed' | 'aborted';

export interface EpisodeSummary {
  id: string;
  runId: string | null;
  problemId: string;
  personaId: string;
  mode: Mode;
  userType: UserType;
  userSeat: SeatKind;
  status: EpisodeStatus;
  weightedScore: number | null;
  correct: 0 | 1 | null;
  interactionTurns: number | null;
  assistantModel: string;
  judgeModel: string;
  simulatorModel: string | null;
  failure: { stage: string; reason: string } | null;
  startedAt: string;
  endedAt: string | null;
}

export interface RunInput {
  benchmarkPath: string;
  benchmarkSha256: string | null;
  outPath: string | null;
  options: Record<string, unknown>;
}
