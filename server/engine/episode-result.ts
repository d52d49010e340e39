import type { EpisodeEvent } from '../../shared/schemas/episode.ts';
import type { CorrectnessJudgment } from './correctness-judge.ts';
import type { JudgedCriterion } from './episode-state.ts';
import type { ChatTurn } from './seats.ts';

export interface EpisodeResult {
  /** The visible conversation, without system prompts, ending with the final prompt and the final answer. */
  conversation: ChatTurn[];
  finalAnswer: string;
  /** Completed question/answer exchanges with the user; 0 for no_prompt and persona_known. */
  interactionTurns: number;
  judgments: JudgedCriterion[];
  correctness: Pick<CorrectnessJudgment, 'correct' | 'justification' | 'attempts' | 'issue'>;
  weightedScore: number;
  events: readonly EpisodeEvent[];
}
