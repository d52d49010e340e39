import { describeError } from '../../../shared/errors.ts';
import { runModelStep } from '../../engine/model-steps.ts';
import { personaProfile } from '../../engine/persona-profile.ts';
import type { PromptSet } from '../../engine/prompt-library.ts';
import type { ModelProvider } from '../../models/model-provider.ts';
import type { EpisodeEvent } from '../../../shared/schemas/episode.ts';
import type { Exchange } from '../../engine/seats.ts';
import type { AwaitedReply } from './person-seat.ts';
import type { RunningEpisode } from './running-episode.ts';

/** The simulated user type the twins play: the reference's default. */
export const TWIN_USER_TYPE = 'passive_nostop' as const;

/**
 * The twin reply: the simulated user answers the question the person was just asked, at the same point of the same
 * conversation, and the disclosure labeler labels it. Stored in the live episode's log; never shown to the person.
 */
export async function twinReply(
  episode: RunningEpisode,
  awaited: AwaitedReply,
  simulator: ModelProvider,
  labeler: ModelProvider,
  /** The live episode's prompts (its study's pack, or ours), so the twin is asked as the episode's own seats are. */
  prompts?: PromptSet,
): Promise<void> {
  const already = episode.log.events.some((e) => e.type === 'twin_reply' && e.turn === awaited.turn);
  if (already) return;
  const signal = episode.controller.signal;
  try {
    // Each a whole step on the model-call thread in a served process (engine/model-steps.ts): the person's loop only
    // stores the result.
    const withPrompts = prompts ? { prompts } : {};
    const reply = await runModelStep(
      'simulate',
      simulator,
      {
        record: { persona: episode.record.persona, persona_preferences: episode.record.persona_preferences },
        userType: TWIN_USER_TYPE,
        turn: awaited.turn,
        assistantMessage: awaited.assistantMessage,
        history: awaited.history,
        ...withPrompts,
        // Rendered here, from the record storage read (its float positions attached), once per episode's record.
        profile: personaProfile(episode.record),
      },
      signal,
      // Nobody waits on the twin: behind the person's calls on the model-call thread.
      'research',
    );
    const label = await runModelStep(
      'label',
      labeler,
      {
        preferences: episode.record.persona_preferences,
        assistantMessage: awaited.assistantMessage,
        userMessage: reply.response,
        ...withPrompts,
      },
      signal,
      'research',
    );
    const issues = [reply.issue, label.issue].filter((i): i is string => Boolean(i));
    episode.log.append({
      type: 'twin_reply',
      turn: awaited.turn,
      response: reply.response,
      ...(reply.thought ? { thought: reply.thought } : {}),
      asked: label.asked,
      revealed: label.revealed,
      ...(issues.length > 0 ? { issue: issues.join(' | ') } : {}),
    });
  } catch (error) {
    if (signal.aborted) return;
    episode.logger.warn({ err: error, turn: awaited.turn }, 'twin reply failed');
    episode.log.append({
      type: 'twin_reply',
      turn: awaited.turn,
      response: '',
      asked: [],
      revealed: [],
      issue: `twin failed: ${describeError(error)}`,
    });
  }
}

/**
 * The questions of a stored live log that the person answered but that have no twin reply: the process stopped while
 * the twin was answering. Each comes with the conversation before it, as the person's seat was asked.
 */
export function missedTwinTurns(events: readonly EpisodeEvent[]): AwaitedReply[] {
  const twinned = new Set(events.flatMap((e) => (e.type === 'twin_reply' ? [e.turn] : [])));
  const history: Exchange[] = [];
  const missed: AwaitedReply[] = [];
  let question: { turn: number; content: string } | null = null;
  for (const e of events) {
    if (e.type !== 'message') continue;
    if (e.kind === 'question') question = { turn: e.turn, content: e.content };
    else if ((e.kind === 'reply' || e.kind === 'stop') && question) {
      if (e.kind === 'reply' && !twinned.has(e.turn))
        missed.push({ turn: e.turn, assistantMessage: question.content, history: [...history] });
      history.push({
        assistant: question.content,
        user: e.content,
        ...(e.kind === 'stop' ? { automaticStop: true as const } : {}),
      });
      question = null;
    }
  }
  return missed;
}
