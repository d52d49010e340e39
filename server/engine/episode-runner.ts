import type { BenchmarkRecord } from '../../shared/schemas/benchmark.ts';
import type { Mode, UserType } from '../../shared/schemas/evaluation.ts';
import type { Provenance } from '../../shared/schemas/episode.ts';
import { normalizeProblem } from '../../shared/benchmark/normalize-problem.ts';
import { personaIdOf } from '../../shared/benchmark/record-checks.ts';
import type { ModelProvider } from '../models/model-provider.ts';
import { runModelStep } from './model-steps.ts';
import { REFERENCE_SKIP } from './reference-replies.ts';
import type { EpisodeLog } from './episode-log.ts';
import { openingMessage } from './opening-message.ts';
import { personaProfile } from './persona-profile.ts';
import { renderPrompt, type PromptSet } from './prompt-library.ts';
import { weightedScore } from './rubric-judge.ts';
import type { AssistantSeat, UserSeat } from './seats.ts';
import { actionOf, elicit, judgeAll, PendingLabels, stageOf } from './episode-phases.ts';
import { addFinalPrompt, stateFromEvents } from './episode-state.ts';
import { EpisodeAbortedError, EpisodeFailure } from './episode-errors.ts';
import type { EpisodeResult } from './episode-result.ts';
import { describeError } from '../../shared/errors.ts';

/** The reference's elicitation budget (evaluation.max_turns). */
export const DEFAULT_MAX_TURNS = 5;

export interface EpisodeSpec {
  record: BenchmarkRecord;
  mode: Mode;
  /** A simulated user type for infer_persona; 'no_user_interaction' for the two single-call modes. */
  userType: UserType;
  maxTurns?: number;
  /** The fixed-K questions ablation: exactly K questions, stop signals ignored (docs/engine.md). */
  fixedQuestions?: number | null;
  /**
   * `--reference-quirks`: judge and simulator replies are asked once and read as the reference reads them, and the
   * correctness judge runs at the reference's accidental 0.7 (docs/engine.md, the quirks table).
   */
  referenceQuirks?: boolean;
  /** The prompts the episode is asked with: a prompt pack (prompt-pack.ts), or ours when absent. */
  prompts?: PromptSet;
  /** The whole numbers the record's source line wrote as floats (profile-floats.ts): the profile prints them `4.0`. */
  integralFloats?: ReadonlySet<string>;
}

export interface EpisodeParticipants {
  assistant: AssistantSeat;
  /** Required for infer_persona; unused otherwise. */
  user: UserSeat | null;
  judge: ModelProvider;
  /** Labels the preference-disclosure ledger after each user turn; usually the judge model. */
  labeler: ModelProvider | null;
  provenance: Provenance;
  /**
   * Live play: the labeler's call for a reply runs beside the model's next turn instead of before it, so the person
   * never waits for it (the assistant never sees labels). Its event is stored when it answers, possibly after the next
   * question; every label is stored before the final prompt. Batch runs label inline, in the reference's order.
   */
  labelBesideNextTurn?: boolean;
  onAssistantChunk?: (delta: string) => void;
  /** The streamed turn starts over (a retried model call); what was streamed so far is void. */
  onAssistantRestart?: () => void;
}

/**
 * Runs one episode: the conversation for the condition, then the rubric and correctness judgments. Every step is
 * appended to `log`. A log that already holds events (a live episode resumed after a server restart) is continued
 * from where those events leave off; the first model turn generated after such a resume is marked `regenerated`.
 * Returns the result, or throws EpisodeFailure (recorded in the log as episode_failed) or EpisodeAbortedError
 * (cancelled; nothing is claimed about the episode).
 */
export async function runEpisode(
  spec: EpisodeSpec,
  who: EpisodeParticipants,
  log: EpisodeLog,
  signal: AbortSignal,
): Promise<EpisodeResult> {
  const { record, mode } = spec;
  const maxTurns = spec.maxTurns ?? DEFAULT_MAX_TURNS;
  const fixed = mode === 'infer_persona' ? (spec.fixedQuestions ?? null) : null;
  const problem = normalizeProblem(record);
  const state = stateFromEvents(log.events, fixed);
  const resumed = log.events.length > 0;
  if (state.ended) throw new EpisodeFailure('internal', 'internal', `the episode has already ${state.ended}`);
  if (!state.started) {
    log.append({
      type: 'episode_started',
      problemId: record.problem_id,
      personaId: personaIdOf(record),
      mode,
      userType: spec.userType,
      userSeat: mode === 'infer_persona' ? (who.user?.kind ?? 'none') : 'none',
      maxTurns,
      fixedQuestions: fixed,
      provenance: who.provenance,
    });
  }
  const labels = new PendingLabels();
  try {
    if (state.conversation.length === 0) {
      const opening = openingMessage(problem);
      state.conversation.push({ role: 'user', content: opening });
      log.append({ type: 'message', role: 'user', kind: 'opening', turn: 0, content: opening });
    }
    let regenerate = resumed;
    const ask = async (system: string | null): Promise<{ text: string; regenerated: boolean }> => {
      if (signal.aborted) throw new EpisodeAbortedError();
      const reply = await who.assistant
        .respond({
          system,
          conversation: state.conversation,
          signal,
          ...(who.onAssistantChunk ? { onChunk: who.onAssistantChunk } : {}),
          ...(who.onAssistantRestart ? { onRestart: who.onAssistantRestart } : {}),
        })
        .catch((e: unknown) => stageOf(e, 'assistant'));
      if (reply.text.trim() === '')
        throw new EpisodeFailure('assistant', 'empty_output', 'the model under test returned an empty reply');
      const regenerated = regenerate;
      regenerate = false;
      return { text: reply.text, regenerated };
    };

    if (state.finalAnswer === null) {
      if (mode === 'no_prompt' || mode === 'persona_known') {
        const { text, regenerated } = await ask(
          mode === 'no_prompt'
            ? null
            : renderPrompt(
                'oracleSystem',
                {
                  persona_profile: personaProfile(
                    record,
                    spec.integralFloats ? { integralFloats: spec.integralFloats } : {},
                  ),
                },
                spec.prompts,
              ),
        );
        state.conversation.push({ role: 'assistant', content: text });
        state.finalAnswer = text;
        log.append({
          type: 'message',
          role: 'assistant',
          kind: 'final_answer',
          turn: 0,
          content: text,
          ...(regenerated ? { regenerated } : {}),
        });
      } else {
        if (!who.user) throw new EpisodeFailure('internal', 'internal', 'infer_persona needs a user seat');
        await elicit(spec, who, log, signal, state, ask, maxTurns, fixed, labels);
        if (!state.finalPromptAdded) {
          const finalPrompt = renderPrompt('finalPrompt', {}, spec.prompts);
          addFinalPrompt(state.conversation, finalPrompt);
          state.finalPromptAdded = true;
          log.append({
            type: 'message',
            role: 'user',
            kind: 'final_prompt',
            turn: state.answered,
            content: finalPrompt,
          });
        }
        // The final answer is asked under the dynamic discovery prompt even in the fixed-K ablation, as the reference does.
        const { text, regenerated } = await ask(renderPrompt('discoverySystem', {}, spec.prompts));
        state.conversation.push({ role: 'assistant', content: text });
        state.finalAnswer = text;
        log.append({
          type: 'message',
          role: 'assistant',
          kind: 'final_answer',
          turn: state.answered,
          content: text,
          action: actionOf(text),
          ...(regenerated ? { regenerated } : {}),
        });
      }
    }
    const finalAnswer = state.finalAnswer;

    const judgments = await judgeAll(spec, who.judge, finalAnswer, log, signal, state);
    const missing = judgments.filter((j) => j.score === null);
    if (spec.referenceQuirks && missing.length > 0) {
      // The reference sums the scores before it asks about correctness; a score it cannot multiply ends it there.
      throw new EpisodeFailure(
        'judge',
        REFERENCE_SKIP,
        `the reference cannot weigh the score of: ${missing.map((j) => `${j.preference} (${j.issue ?? ''})`).join(', ')}`,
      );
    }
    const correctness =
      state.correctness ??
      (await runModelStep(
        'correctness',
        who.judge,
        {
          problem,
          response: finalAnswer,
          reference: spec.referenceQuirks === true,
          ...(spec.prompts ? { prompts: spec.prompts } : {}),
        },
        signal,
        'research',
      ).catch((e: unknown) => stageOf(e, 'correctness')));
    if (!state.correctness) {
      log.append({
        type: 'correctness_judged',
        correct: correctness.correct,
        justification: correctness.justification,
        attempts: correctness.attempts,
        ...(correctness.issue ? { issue: correctness.issue } : {}),
      });
    }

    if (missing.length > 0) {
      throw new EpisodeFailure(
        'judge',
        'judge_unusable',
        `no usable judge score for ${missing.length} criteria: ${missing.map((j) => j.preference).join(', ')}`,
      );
    }
    const score = weightedScore(judgments);
    // Ours: the questions the user answered. The reference's: half its simulator history, rounded down, where an
    // in-loop final answer adds a line with no reply (only the fixed-K ablation can have one and go on).
    const stops = state.history.filter((e) => e.automaticStop).length;
    const interactionTurns = spec.referenceQuirks ? Math.floor((2 * state.answered + stops) / 2) : state.answered;
    log.append({
      type: 'episode_completed',
      weightedScore: score,
      correct: correctness.correct,
      interactionTurns,
    });
    return {
      conversation: state.conversation,
      finalAnswer,
      interactionTurns,
      judgments,
      correctness,
      weightedScore: score,
      events: log.events,
    };
  } catch (error) {
    // Whatever a cancelled call threw, a cancelled episode is aborted, not failed: it is resumed or rerun later.
    // A label still on its way must not land after the episode's end.
    await labels.settled();
    if (error instanceof EpisodeAbortedError || signal.aborted) throw new EpisodeAbortedError();
    const failure =
      error instanceof EpisodeFailure ? error : new EpisodeFailure('internal', 'internal', describeError(error));
    log.append({ type: 'episode_failed', stage: failure.stage, code: failure.code, reason: failure.message });
    throw failure;
  }
}
