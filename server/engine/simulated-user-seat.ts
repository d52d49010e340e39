import { z } from 'zod';
import type { BenchmarkRecord } from '../../shared/schemas/benchmark.ts';
import type { UserType } from '../../shared/schemas/evaluation.ts';
import type { ModelProvider } from '../models/model-provider.ts';
import { STOP_SIGNAL } from './assistant-protocol.ts';
import { callForJson } from './json-call.ts';
import { personaProfile } from './persona-profile.ts';
import { renderPrompt, type PromptName } from './prompt-library.ts';
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
  const lines = history.flatMap((e) => [`**Assistant**: ${e.assistant}`, `**User**: ${e.user}`]);
  lines.push(`**Assistant**: ${latestAssistant}`);
  return lines.join('\n');
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
  ) {
    this.profile = personaProfile(record);
  }

  async reply(input: {
    turn: number;
    assistantMessage: string;
    history: Exchange[];
    signal: AbortSignal;
  }): Promise<UserReply> {
    const prompt = renderPrompt(PROMPT_FOR[this.userType], {
      persona_profile: this.profile,
      // The transcript holds the model's messages and, for a live twin, the participant's replies: data only.
      chat_history: encloseUntrusted('CONVERSATION', renderChatHistory(input.history, input.assistantMessage)).block,
      terminal_signal: '',
      stop_signal: STOP_SIGNAL,
    });
    const result = await callForJson(
      this.provider,
      {
        messages: [{ role: 'user', content: prompt }],
        purpose: 'simulated_user',
        temperature: SIMULATOR_TEMPERATURE,
        signal: input.signal,
        hint: {
          userType: this.userType,
          preferences: this.record.persona_preferences,
          assistantMessage: input.assistantMessage,
          turn: input.turn,
        },
      },
      SimulatorReplySchema,
    );

    const issues = [...result.issues];
    let response: string;
    if (result.value === null) {
      // The reference uses the raw reply when it is not a JSON object; we do the same after our retries, and say so.
      response = result.raw.trim();
      issues.push('simulator reply was not a JSON object; its raw text was used');
    } else if (typeof result.value.response === 'string') {
      response = result.value.response;
    } else {
      response = result.value.response === undefined ? NO_RESPONSE_FALLBACK : JSON.stringify(result.value.response);
      issues.push(
        result.value.response === undefined
          ? `no "response" in the simulator's JSON; used "${NO_RESPONSE_FALLBACK}"`
          : '"response" was not a string',
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
