import type { EpisodeEvent } from '../../shared/schemas/episode.ts';
import type { CriterionJudgment } from './rubric-judge.ts';
import type { ChatTurn, Exchange } from './seats.ts';

/** A criterion's judgment as the log keeps it (token usage is accounted elsewhere). */
export type JudgedCriterion = Omit<CriterionJudgment, 'usage'>;

/**
 * Where an episode stands, read off its event log. A new episode starts from the empty state; a live episode that
 * was interrupted by a server restart continues from the state its stored events describe.
 */
export interface EpisodeState {
  started: boolean;
  conversation: ChatTurn[];
  history: Exchange[];
  /** The discovery loop's counter: assistant turns that got a user reply (or the automatic stop). */
  turn: number;
  /** Questions a user actually answered (interaction_turns). */
  answered: number;
  terminate: boolean;
  /** An assistant question that is waiting for the user's reply. */
  pendingQuestion: string | null;
  finalPromptAdded: boolean;
  finalAnswer: string | null;
  judged: Map<string, JudgedCriterion>;
  correctness: { correct: 0 | 1 | null; justification: string; attempts: number; issue?: string } | null;
  ended: 'completed' | 'failed' | null;
}

export function emptyState(): EpisodeState {
  return {
    started: false,
    conversation: [],
    history: [],
    turn: 0,
    answered: 0,
    terminate: false,
    pendingQuestion: null,
    finalPromptAdded: false,
    finalAnswer: null,
    judged: new Map(),
    correctness: null,
    ended: null,
  };
}

/** Adds the final prompt the reference's way: appended to a last user message, else a new user message. */
export function addFinalPrompt(conversation: ChatTurn[], finalPrompt: string): void {
  const last = conversation[conversation.length - 1];
  if (last?.role === 'user') last.content = `${last.content}\n\n${finalPrompt}`;
  else conversation.push({ role: 'user', content: finalPrompt });
}

/** Replays stored events into the state the engine would have had at that point. */
export function stateFromEvents(events: readonly EpisodeEvent[], fixedQuestions: number | null): EpisodeState {
  const s = emptyState();
  for (const e of events) {
    switch (e.type) {
      case 'episode_started':
        s.started = true;
        break;
      case 'message':
        if (e.kind === 'opening') s.conversation.push({ role: 'user', content: e.content });
        else if (e.kind === 'question') {
          s.conversation.push({ role: 'assistant', content: e.content });
          s.pendingQuestion = e.content;
        } else if (e.kind === 'reply' || e.kind === 'stop') {
          s.conversation.push({ role: 'user', content: e.content });
          s.history.push({
            assistant: s.pendingQuestion ?? '',
            user: e.content,
            ...(e.kind === 'stop' ? { automaticStop: true as const } : {}),
          });
          s.pendingQuestion = null;
          s.turn = e.turn + 1;
          if (e.kind === 'reply') s.answered += 1;
          s.terminate = fixedQuestions !== null ? false : e.kind === 'stop' || e.terminate === true;
        } else if (e.kind === 'final_prompt') {
          addFinalPrompt(s.conversation, e.content);
          s.finalPromptAdded = true;
        } else if (e.kind === 'final_answer') {
          s.conversation.push({ role: 'assistant', content: e.content });
          s.finalAnswer = e.content;
        }
        break;
      case 'criterion_judged':
        s.judged.set(e.preference, {
          preference: e.preference,
          score: e.score,
          justification: e.justification,
          weight: e.weight,
          attempts: e.attempts,
          ...(e.issue ? { issue: e.issue } : {}),
        });
        break;
      case 'correctness_judged':
        s.correctness = {
          correct: e.correct,
          justification: e.justification,
          attempts: e.attempts,
          ...(e.issue ? { issue: e.issue } : {}),
        };
        break;
      case 'episode_completed':
        s.ended = 'completed';
        break;
      case 'episode_failed':
        s.ended = 'failed';
        break;
      default:
        break;
    }
  }
  return s;
}
