import type { ModelProvider } from '../models/model-provider.ts';
import { ModelCallError } from '../models/model-provider.ts';
import { describeError } from '../../shared/errors.ts';
import { parseAction, STOP_SIGNAL } from './assistant-protocol.ts';
import type { EpisodeEvent } from '../../shared/schemas/episode.ts';
import type { EpisodeLog } from './episode-log.ts';
import { EpisodeAbortedError, EpisodeFailure } from './episode-errors.ts';
import type { EpisodeParticipants, EpisodeSpec } from './episode-runner.ts';
import type { EpisodeState, JudgedCriterion } from './episode-state.ts';
import { renderPrompt } from './prompt-library.ts';
import { REFERENCE_SKIP, ReferenceSkipError } from './reference-replies.ts';
import { runModelStep } from './model-steps.ts';
import type { UserSeat } from './seats.ts';

/** The phases of an episode after its opening: the discovery loop and the rubric judgments, with their error mapping. */

export function stageOf(error: unknown, stage: EpisodeFailure['stage']): never {
  if (error instanceof EpisodeFailure || error instanceof EpisodeAbortedError) throw error;
  // Under --reference-quirks, a reply the reference cannot use skips the episode, as the reference's exception does.
  if (error instanceof ReferenceSkipError) throw new EpisodeFailure(stage, REFERENCE_SKIP, error.message);
  if (error instanceof ModelCallError) {
    if (error.code === 'aborted') throw new EpisodeAbortedError();
    throw new EpisodeFailure(stage, error.code, error.message);
  }
  throw new EpisodeFailure('internal', 'internal', describeError(error));
}

export function actionOf(text: string): { final: boolean; via: 'marker' | 'heuristic' } {
  const parsed = parseAction(text);
  return { final: parsed.final, via: parsed.via };
}

/** The discovery loop (ask, answer, until stop or the turn limit), continued from `state`; updates it as it goes. */
export async function elicit(
  spec: EpisodeSpec,
  who: EpisodeParticipants,
  log: EpisodeLog,
  signal: AbortSignal,
  state: EpisodeState,
  ask: (system: string | null) => Promise<{ text: string; regenerated: boolean }>,
  maxTurns: number,
  fixed: number | null,
  labels: PendingLabels = new PendingLabels(),
): Promise<void> {
  const user = who.user as UserSeat;
  const limit = fixed ?? maxTurns;
  // A resumed log can hold a reply whose label was never stored (the process stopped between the two): label it now.
  if (who.labeler) {
    for (const unlabeled of unlabeledReplies(log.events))
      await labelReply(spec, who.labeler, log, signal, unlabeled, who, labels);
  }
  while (!state.terminate && state.turn < limit) {
    const turn = state.turn;
    let message = state.pendingQuestion;
    if (message === null) {
      const system =
        fixed === null
          ? renderPrompt('discoverySystem', {}, spec.prompts)
          : renderPrompt('fixedQuestionsSystem', { num_questions: fixed, turn }, spec.prompts);
      const asked = await ask(system);
      message = asked.text;
      state.conversation.push({ role: 'assistant', content: message });
      log.append({
        type: 'message',
        role: 'assistant',
        kind: 'question',
        turn,
        content: message,
        action: actionOf(message),
        ...(asked.regenerated ? { regenerated: true } : {}),
      });
    }
    state.pendingQuestion = message;
    const action = actionOf(message);
    let reply: string;
    let userTerminates: boolean;
    if (action.final) {
      // The user is not asked: the reference's simulator answers a final answer with the bare stop signal.
      reply = STOP_SIGNAL;
      userTerminates = true;
      log.append({ type: 'message', role: 'user', kind: 'stop', turn, content: reply });
    } else {
      const r = await user
        .reply({ turn, assistantMessage: message, history: [...state.history], signal })
        .catch((e: unknown) => stageOf(e, 'user'));
      reply = r.response;
      userTerminates = r.terminate;
      state.answered += 1;
      log.append({
        type: 'message',
        role: 'user',
        kind: 'reply',
        turn,
        content: reply,
        ...(r.thought ? { thought: r.thought } : {}),
        ...(r.issue ? { issue: r.issue } : {}),
        ...(r.terminate ? { terminate: true } : {}),
        ...(r.clientMessageId ? { clientMessageId: r.clientMessageId } : {}),
      });
      if (who.labeler)
        await labelReply(spec, who.labeler, log, signal, { turn, question: message, reply }, who, labels);
    }
    state.conversation.push({ role: 'user', content: reply });
    state.history.push({ assistant: message, user: reply, ...(action.final ? { automaticStop: true as const } : {}) });
    state.pendingQuestion = null;
    state.terminate = fixed !== null ? false : userTerminates;
    state.turn = turn + 1;
  }
  // Every label is stored before the final prompt, so the log's labels all precede the final answer and the judgments.
  await labels.done();
}

interface ReplyToLabel {
  turn: number;
  question: string;
  reply: string;
}

/** The replies in `events` that have no disclosure label. */
function unlabeledReplies(events: readonly EpisodeEvent[]): ReplyToLabel[] {
  const labeled = new Set(events.flatMap((e) => (e.type === 'disclosure_labeled' ? [e.turn] : [])));
  const questions = new Map(
    events.flatMap((e) => (e.type === 'message' && e.kind === 'question' ? [[e.turn, e.content] as const] : [])),
  );
  return events.flatMap((e) =>
    e.type === 'message' && e.kind === 'reply' && !labeled.has(e.turn)
      ? [{ turn: e.turn, question: questions.get(e.turn) ?? '', reply: e.content }]
      : [],
  );
}

/**
 * Labels one reply and stores the label: inline, or beside the conversation when the participants ask for it (live
 * play), where `labels` keeps it until the discovery loop ends. A labeler that fails is recorded as the label's issue.
 */
async function labelReply(
  spec: EpisodeSpec,
  labeler: ModelProvider,
  log: EpisodeLog,
  signal: AbortSignal,
  { turn, question, reply }: ReplyToLabel,
  who: Pick<EpisodeParticipants, 'labelBesideNextTurn'>,
  labels: PendingLabels,
): Promise<void> {
  const labeled = runModelStep(
    'label',
    labeler,
    {
      preferences: spec.record.persona_preferences,
      assistantMessage: question,
      userMessage: reply,
      ...(spec.prompts ? { prompts: spec.prompts } : {}),
    },
    signal,
  )
    .catch((e: unknown) =>
      e instanceof ModelCallError && e.code !== 'aborted'
        ? { asked: [], revealed: [], issue: `labeler failed: ${e.message}` }
        : stageOf(e, 'judge'),
    )
    .then((label) => {
      log.append({
        type: 'disclosure_labeled',
        turn,
        asked: label.asked,
        revealed: label.revealed,
        ...(label.issue ? { issue: label.issue } : {}),
      });
    });
  if (who.labelBesideNextTurn) labels.add(labeled);
  else await labeled;
}

/**
 * Labels still being made beside the conversation (live play: `labelBesideNextTurn`). Each is awaited before the
 * episode moves past its discovery loop; a failure surfaces then, as it would have inline.
 */
export class PendingLabels {
  private readonly pending: Promise<void>[] = [];

  add(labeled: Promise<void>): void {
    // Handled here so a failure waits for done() instead of being reported as unhandled meanwhile.
    labeled.catch(() => undefined);
    this.pending.push(labeled);
  }

  /** Waits for every label; rethrows the first failure. */
  async done(): Promise<void> {
    while (this.pending.length > 0) await this.pending.shift();
  }

  /** Waits for every label, ignoring failures: the episode is ending anyway, and nothing may be appended after it. */
  async settled(): Promise<void> {
    await Promise.allSettled(this.pending.splice(0));
  }
}

export async function judgeAll(
  spec: EpisodeSpec,
  judge: ModelProvider,
  finalAnswer: string,
  log: EpisodeLog,
  signal: AbortSignal,
  state: EpisodeState,
): Promise<JudgedCriterion[]> {
  const out: JudgedCriterion[] = [];
  for (const criterion of spec.record.evaluation_rubric.evaluation_criteria) {
    const done = state.judged.get(criterion.preference);
    if (done) {
      out.push(done);
      continue;
    }
    const j = await runModelStep(
      'criterion',
      judge,
      {
        record: {
          persona_preferences: spec.record.persona_preferences,
          evaluation_rubric: spec.record.evaluation_rubric,
        },
        criterion,
        response: finalAnswer,
        reference: spec.referenceQuirks === true,
        ...(spec.prompts ? { prompts: spec.prompts } : {}),
      },
      signal,
      // Nobody waits on it: the person rates the final answer meanwhile.
      'research',
    ).catch((e: unknown) => stageOf(e, 'judge'));
    log.append({
      type: 'criterion_judged',
      preference: j.preference,
      score: j.score,
      justification: j.justification,
      weight: j.weight,
      attempts: j.attempts,
      ...(j.issue ? { issue: j.issue } : {}),
    });
    out.push(j);
  }
  return out;
}
