import { z } from 'zod';
import type { Preference } from '../../shared/schemas/preference.ts';
import type { ModelProvider, TokenUsage } from '../models/model-provider.ts';
import { callForJson } from './json-call.ts';
import { renderPrompt, type PromptSet } from './prompt-library.ts';
import { encloseUntrusted } from './untrusted-text.ts';

const LabelSchema = z.looseObject({
  asked: z.array(z.string()).default([]),
  revealed: z.array(z.looseObject({ preference: z.string(), value: z.coerce.string() })).default([]),
});

export interface DisclosureLabel {
  asked: string[];
  revealed: { preference: string; value: string }[];
  issue?: string;
  usage: TokenUsage;
}

/**
 * The labeler's prompt for one turn; the two messages come already enclosed (`encloseUntrusted`), and
 * `prefdisco prompts show` passes marked placeholders, so it prints what a run sends.
 */
export function disclosureLabelerPrompt(
  preferences: Record<string, Preference>,
  assistantBlock: string,
  userBlock: string,
  prompts?: PromptSet,
): string {
  const preferenceList = Object.entries(preferences)
    .map(([name, p]) => `- ${name}: ${String(p.value)}`)
    .join('\n');
  return renderPrompt(
    'disclosureLabeler',
    { preference_list: preferenceList, assistant_message: assistantBlock, user_message: userBlock },
    prompts,
  );
}

/**
 * The preference-disclosure ledger for one turn: which hidden preferences the assistant asked about and which the
 * user revealed, with the value. (The reference's detector reads the wrong key and always returns []; this replaces
 * it.) Names the labeler invents are dropped and reported; a labeler failure leaves the turn unlabeled but never fails
 * the episode.
 */
export async function labelDisclosure(
  labeler: ModelProvider,
  preferences: Record<string, Preference>,
  turn: { assistantMessage: string; userMessage: string },
  signal?: AbortSignal,
  prompts?: PromptSet,
): Promise<DisclosureLabel> {
  const result = await callForJson(
    labeler,
    {
      messages: [
        {
          role: 'user',
          content: disclosureLabelerPrompt(
            preferences,
            // Both messages come from the conversation (the model, a participant or the simulator): data only.
            encloseUntrusted('ASSISTANT_MESSAGE', turn.assistantMessage).block,
            encloseUntrusted('USER_REPLY', turn.userMessage).block,
            prompts,
          ),
        },
      ],
      purpose: 'disclosure_labeler',
      temperature: 0,
      ...(signal ? { signal } : {}),
      hint: { preferences, ...turn },
    },
    LabelSchema,
  );

  if (result.value === null) {
    return { asked: [], revealed: [], usage: result.usage, issue: `no usable label: ${result.issues.join(' | ')}` };
  }
  const known = (name: string): boolean => Object.hasOwn(preferences, name);
  const unknown = [...result.value.asked, ...result.value.revealed.map((r) => r.preference)].filter((n) => !known(n));
  const issues = [...result.issues];
  if (unknown.length > 0)
    issues.push(`dropped names that are not hidden preferences: ${[...new Set(unknown)].join(', ')}`);
  return {
    asked: [...new Set(result.value.asked.filter(known))],
    revealed: result.value.revealed.filter((r) => known(r.preference)),
    usage: result.usage,
    ...(issues.length > 0 ? { issue: issues.join(' | ') } : {}),
  };
}
