import type { BenchmarkRecord } from '../../shared/schemas/benchmark.ts';
import type { Mode, UserType } from '../../shared/schemas/evaluation.ts';
import type { Provenance } from '../../shared/schemas/episode.ts';
import { normalizeProblem } from '../../shared/benchmark/normalize-problem.ts';
import { ModelCallError, type ModelProvider } from '../models/model-provider.ts';
import { parseAction, STOP_SIGNAL } from './assistant-protocol.ts';
import { judgeCorrectness, REFERENCE_CORRECTNESS_TEMPERATURE } from './correctness-judge.ts';
import { labelDisclosure } from './disclosure-labeler.ts';
import type { EpisodeLog } from './episode-log.ts';
import { openingMessage } from './opening-message.ts';
import { personaProfile } from './persona-profile.ts';
import { renderPrompt } from './prompt-library.ts';
import { judgeCriterion, weightedScore, type CriterionJudgment } from './rubric-judge.ts';
import type { AssistantSeat, ChatTurn, Exchange, UserSeat } from './seats.ts';
import { EpisodeAbortedError, EpisodeFailure } from './episode-errors.ts';
import type { EpisodeResult } from './episode-result.ts';

/** The reference's elicitation budget (evaluation.max_turns). */
export const DEFAULT_MAX_TURNS = 5;

export interface EpisodeSpec {
  record: BenchmarkRecord;
  mode: Mode;
  /** A simulated user type for infer_persona; 'no_user_interaction' for the two single-call modes. */
  userType: UserType;
  maxTurns?: number;
  /** The fixed-K questions ablation: exactly K questions, stop signals ignored (§3.4). */
  fixedQuestions?: number | null;
  /** Switches that restore reference bugs for comparability (docs/engine.md). */
  reference?: { missingScoreAsOne?: boolean; correctnessTemperature?: boolean };
}

export interface EpisodeParticipants {
  assistant: AssistantSeat;
  /** Required for infer_persona; unused otherwise. */
  user: UserSeat | null;
  judge: ModelProvider;
  /** Labels the preference-disclosure ledger after each user turn; usually the judge model. */
  labeler: ModelProvider | null;
  provenance: Provenance;
  onAssistantChunk?: (delta: string) => void;
}

function stageOf(error: unknown, stage: EpisodeFailure['stage']): never {
  if (error instanceof EpisodeFailure || error instanceof EpisodeAbortedError) throw error;
  if (error instanceof ModelCallError) {
    if (error.code === 'aborted') throw new EpisodeAbortedError();
    throw new EpisodeFailure(stage, error.code, error.message);
  }
  throw new EpisodeFailure('internal', 'internal', error instanceof Error ? error.message : String(error));
}

/**
 * Runs one episode: the conversation for the condition, then the rubric and correctness judgments. Every step is
 * appended to `log`. Returns the result, or throws EpisodeFailure (recorded in the log as episode_failed) or
 * EpisodeAbortedError (cancelled; nothing is claimed about the episode).
 */
export async function runEpisode(spec: EpisodeSpec, who: EpisodeParticipants, log: EpisodeLog, signal: AbortSignal): Promise<EpisodeResult> {
  const { record, mode } = spec;
  const maxTurns = spec.maxTurns ?? DEFAULT_MAX_TURNS;
  const fixed = mode === 'infer_persona' ? (spec.fixedQuestions ?? null) : null;
  const problem = normalizeProblem(record);
  log.append({
    type: 'episode_started', problemId: record.problem_id, personaId: record.persona.id, mode, userType: spec.userType,
    userSeat: mode === 'infer_persona' ? (who.user?.kind ?? 'none') : 'none', maxTurns, fixedQuestions: fixed, provenance: who.provenance,
  });
  try {
    const conversation: ChatTurn[] = [{ role: 'user', content: openingMessage(problem) }];
    log.append({ type: 'message', role: 'user', kind: 'opening', turn: 0, content: conversation[0]?.content ?? '' });
    const ask = async (system: string | null): Promise<string> => {
      if (signal.aborted) throw new EpisodeAbortedError();
      const reply = await who.assistant.respond({ system, conversation, signal, ...(who.onAssistantChunk ? { onChunk: who.onAssistantChunk } : {}) })
        .catch((e: unknown) => stageOf(e, 'assistant'));
      if (reply.text.trim() === '') throw new EpisodeFailure('assistant', 'empty_output', 'the model under test returned an empty reply');
      return reply.text;
    };

    let interactionTurns = 0;
    let finalAnswer: string;
    if (mode === 'no_prompt' || mode === 'persona_known') {
      finalAnswer = await ask(mode === 'no_prompt' ? null : renderPrompt('oracleSystem', { persona_profile: personaProfile(record) }));
      conversation.push({ role: 'assistant', content: finalAnswer });
      log.append({ type: 'message', role: 'assistant', kind: 'final_answer', turn: 0, content: finalAnswer });
    } else {
      if (!who.user) throw new EpisodeFailure('internal', 'internal', 'infer_persona needs a user seat');
      interactionTurns = await elicit(spec, who, log, signal, conversation, ask, maxTurns, fixed);
      const finalPrompt = renderPrompt('finalPrompt');
      const last = conversation[conversation.length - 1];
      if (last?.role === 'user') last.content = `${last.content}\n\n${finalPrompt}`;
      else conversation.push({ role: 'user', content: finalPrompt });
      log.append({ type: 'message', role: 'user', kind: 'final_prompt', turn: interactionTurns, content: finalPrompt });
      // The final answer is asked under the dynamic discovery prompt even in the fixed-K ablation, as the reference does.
      finalAnswer = await ask(renderPrompt('discoverySystem'));
      conversation.push({ role: 'assistant', content: finalAnswer });
      log.append({ type: 'message', role: 'assistant', kind: 'final_answer', turn: interactionTurns, content: finalAnswer, action: actionOf(finalAnswer) });
    }

    const judgments = await judgeAll(spec, who.judge, finalAnswer, log, signal);
    const correctness = await judgeCorrectness(who.judge, problem, finalAnswer, {
      signal, ...(spec.reference?.correctnessTemperature ? { temperature: REFERENCE_CORRECTNESS_TEMPERATURE } : {}),
    }).catch((e: unknown) => stageOf(e, 'correctness'));
    log.append({ type: 'correctness_judged', correct: correctness.correct, justification: correctness.justification, attempts: correctness.attempts, ...(correctness.issue ? { issue: correctness.issue } : {}) });

    const missing = judgments.filter((j) => j.score === null);
    if (missing.length > 0) {
      throw new EpisodeFailure('judge', 'judge_unusable', `no usable judge score for ${missing.length} criteria: ${missing.map((j) => j.preference).join(', ')}`);
    }
    const score = weightedScore(judgments);
    log.append({ type: 'episode_completed', weightedScore: score, correct: correctness.correct, interactionTurns });
    return { conversation, finalAnswer, interactionTurns, judgments, correctness, weightedScore: score, events: log.events };
  } catch (error) {
    if (error instanceof EpisodeAbortedError) throw error;
    const failure = error instanceof EpisodeFailure ? error : new EpisodeFailure('internal', 'internal', error instanceof Error ? error.message : String(error));
    log.append({ type: 'episode_failed', stage: failure.stage, code: failure.code, reason: failure.message });
    throw failure;
  }
}

function actionOf(text: string): { final: boolean; via: 'marker' | 'heuristic' } {
  const parsed = parseAction(text);
  return { final: parsed.final, via: parsed.via };
}

/** The discovery loop (§3.4). Returns the number of completed question/answer exchanges with the user. */
async function elicit(
  spec: EpisodeSpec, who: EpisodeParticipants, log: EpisodeLog, signal: AbortSignal,
  conversation: ChatTurn[], ask: (system: string | null) => Promise<string>, maxTurns: number, fixed: number | null,
): Promise<number> {
  const user = who.user as UserSeat;
  const history: Exchange[] = [];
  const limit = fixed ?? maxTurns;
  let terminate = false;
  let turn = 0;
  let answered = 0;
  while (!terminate && turn < limit) {
    const system = fixed === null ? renderPrompt('discoverySystem') : renderPrompt('fixedQuestionsSystem', { num_questions: fixed, turn });
    const message = await ask(system);
    const action = actionOf(message);
    log.append({ type: 'message', role: 'assistant', kind: 'question', turn, content: message, action });
    let reply: string;
    let userTerminates: boolean;
    if (action.final) {
      // The user is not asked: the reference's simulator answers a final answer with the bare stop signal.
      reply = STOP_SIGNAL;
      userTerminates = true;
      log.append({ type: 'message', role: 'user', kind: 'stop', turn, content: reply });
    } else {
      const r = await user.reply({ turn, assistantMessage: message, history: [...history], signal }).catch((e: unknown) => stageOf(e, 'user'));
      reply = r.response;
      userTerminates = r.terminate;
      answered += 1;
      log.append({ type: 'message', role: 'user', kind: 'reply', turn, content: reply, ...(r.thought ? { thought: r.thought } : {}), ...(r.issue ? { issue: r.issue } : {}) });
      if (who.labeler) {
        const label = await labelDisclosure(who.labeler, spec.record.persona_preferences, { assistantMessage: message, userMessage: reply }, signal)
          .catch((e: unknown) => (e instanceof ModelCallError && e.code !== 'aborted' ? { asked: [], revealed: [], issue: `labeler failed: ${e.message}` } : stageOf(e, 'judge')));
        log.append({ type: 'disclosure_labeled', turn, asked: label.asked, revealed: label.revealed, ...(label.issue ? { issue: label.issue } : {}) });
      }
    }
    conversation.push({ role: 'assistant', content: message }, { role: 'user', content: reply });
    history.push({ assistant: message, user: reply });
    terminate = fixed !== null ? false : userTerminates;
    turn += 1;
  }
  return answered;
}

async function judgeAll(spec: EpisodeSpec, judge: ModelProvider, finalAnswer: string, log: EpisodeLog, signal: AbortSignal): Promise<CriterionJudgment[]> {
  const out: CriterionJudgment[] = [];
  for (const criterion of spec.record.evaluation_rubric.evaluation_criteria) {
    const j = await judgeCriterion(judge, spec.record, criterion, finalAnswer, { signal, missingScoreAsOne: spec.reference?.missingScoreAsOne ?? false })
      .catch((e: unknown) => stageOf(e, 'judge'));
    log.append({ type: 'criterion_judged', preference: j.preference, score: j.score, justification: j.justification, weight: j.weight, attempts: j.attempts, ...(j.issue ? { issue: j.issue } : {}) });
    out.push(j);
  }
  return out;
}
