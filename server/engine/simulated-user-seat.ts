import { z } from 'zod';
import type { BenchmarkRecord } from '../../shared/schemas/benchmark.ts';
import type { UserType } from '../../shared/schemas/evaluation.ts';
import type { ModelProvider } from '../models/model-provider.ts';
import { STOP_SIGNAL } from './assistant-protocol.ts';
import { callForJson } from './json-call.ts';
import { personaProfile } from './persona-profile.ts';
import { renderPrompt, type PromptName, type PromptSet } from './prompt-library.ts';
import { pythonStr } from './python-repr.ts';
import { ReferenceSkipError, referenceSimulatorReply } from './reference-replies.ts';
import type { Exchange, UserReply, UserSeat } from './seats.ts';
import { encloseUntrusted } from './untrusted-text.ts';

/** The simulator's temperature, hard-coded in the reference's call. */
export const SIMULATOR_TEMPERATURE = 0.4;

/** The reference's reply when the simulator's JSON has no `response`. */
export const NO_RESPONSE_FALLBACK = "I don't understand.";

const PROMPT_FOR: Record<Exclude<UserType, 'no_user_interaction'>, PromptName> = {
  passive: 'userPassive',
  passive_nostop: 'userPassiveNostop',
  collaborative: 'userCollaborative',
};

const SimulatorReplySchema = z.looseObject({ thought: z.string().optional(), response: z.unknown().optional() });

/** The chat history the simulator sees: exchanges after the opening message, then the assistant's new message. */
export function renderChatHistory(history: Exchange[], latestAssistant: string): string {
  const lines = history.flatMap((e) =>
    e.automaticStop ? [`**Assistant**: ${e.assistant}`] : [`**Assistant**: ${e.assistant}`, `**User**: ${e.user}`],
  );
  lines.push(`**Assistant**: ${latestAssistant}`);
  return lines.join('\n');
}

/**
 * The simulated user's one prompt. `historyBlock` is the chat history already enclosed (`encloseUntrusted`);
 * `prefdisco prompts show` passes a marked placeholder, so it prints what a run sends.
 */
export function simulatedUserPrompt(
  userType: Exclude<UserType, 'no_user_interaction'>,
  profile: string,
  historyBlock: string,
  prompts?: PromptSet,
): string {
  return renderPrompt(
    PROMPT_FOR[userType],
    {
      persona_profile: profile,
      chat_history: historyBlock,
      // As the reference fills its template: the stop signal, or nothing for passive_nostop. (Our own templates name
      // the signal {stop_signal} and use {terminal_signal} only in the nostop one; a pack may use the reference's.)
      terminal_signal: userType === 'passive_nostop' ? '' : STOP_SIGNAL,
      stop_signal: STOP_SIGNAL,
    },
    prompts,
  );
}

/**
 * The user seat filled by an LLM playing the persona, as in the reference (docs/engine.md). It sees the full profile,
 * preferences included, and the conversation after the opening message, never the task text.
 */
export class SimulatedUserSeat implements UserSeat {
  readonly kind = 'simulated' as const;
  private readonly profile: string;

  constructor(
    private readonly provider: ModelProvider,
    private readonly record: Pick<BenchmarkRecord, 'persona' | 'persona_preferences'>,
    private readonly userType: Exclude<UserType, 'no_user_interaction'>,
    /** `--reference-quirks`: one call, read as the reference reads it; an unreadable reply skips the episode. */
    private readonly options: {
      reference?: boolean;
      prompts?: PromptSet;
      /** The whole numbers the record's line wrote as floats: the profile prints them `4.0`, as the reference. */
      integralFloats?: ReadonlySet<string>;
      /** The record's profile, already rendered (a step posted to the model-call thread: engine/model-steps.ts). */
      profile?: string;
    } = {},
  ) {
    this.profile =
      options.profile ??
      personaProfile(record, options.integralFloats ? { integralFloats: options.integralFloats } : {});
  }

  async reply(input: {
    turn: number;
    assistantMessage: string;
    history: Exchange[];
    signal: AbortSignal;
  }): Promise<UserReply> {
    const prompt = simulatedUserPrompt(
      this.userType,
      this.profile,
      // The transcript holds the model's messages and, for a live twin, the participant's replies: data only.
      encloseUntrusted('CONVERSATION', renderChatHistory(input.history, input.assistantMessage)).block,
      this.options.prompts,
    );
    const request = {
      messages: [{ role: 'user' as const, content: prompt }],
      purpose: 'simulated_user' as const,
      temperature: SIMULATOR_TEMPERATURE,
      signal: input.signal,
      hint: {
        userType: this.userType,
        preferences: this.record.persona_preferences,
        assistantMessage: input.assistantMessage,
        turn: input.turn,
      },
    };
    if (this.options.reference) {
      const one = await callForJson(this.provider, request, z.unknown(), 0);
      const read = referenceSimulatorReply(one.raw, NO_RESPONSE_FALLBACK);
      if (!read.ok) throw new ReferenceSkipError(`simulated user: ${read.reason}`);
      return {
        response: read.response,
        terminate: this.userType !== 'passive_nostop' && read.response.includes(STOP_SIGNAL),
        usage: one.usage,
        ...(read.thought ? { thought: read.thought } : {}),
        ...(read.note ? { issue: `${read.note} (reference behaviour)` } : {}),
      };
    }
    const result = await callForJson(this.provider, request, SimulatorReplySchema);

    const issues = [...result.issues];
    let response: string;
    if (result.value === null) {
      // The reference uses the raw reply when it is not a JSON object; we do the same after our retries, and say so.
      response = result.raw.trim();
      issues.push('simulator reply was not a JSON object; its raw text was used');
    } else if (typeof result.value.response === 'string') {
      response = result.value.response;
    } else {
      // As the reference's str(): 42 → "42", null → "None", a list or dict as Python prints it.
      response = result.value.response === undefined ? NO_RESPONSE_FALLBACK : pythonStr(result.value.response);
      issues.push(
        result.value.response === undefined
          ? `no "response" in the simulator's JSON; used "${NO_RESPONSE_FALLBACK}"`
          : '"response" was not a string; used Python\'s str() of it',
      );
    }
    // passive_nostop has no termination rule; the others end the dialogue with the stop signal.
    const terminate = this.userType !== 'passive_nostop' && response.includes(STOP_SIGNAL);
    return {
      response,
      terminate,
      usage: result.usage,
      ...(result.value?.thought ? { thought: result.value.thought } : {}),
      ...(issues.length > 0 ? { issue: issues.join(' | ') } : {}),
    };
  }
}
