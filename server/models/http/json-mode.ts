import type { ModelMessage } from '../model-provider.ts';

/** The reference client's JSON request, appended to the last message (src/llm/api_client.py). */
export const JSON_INSTRUCTION = 'Respond with clean JSON only, without code fences.';

export function appendJsonInstruction(messages: readonly ModelMessage[]): ModelMessage[] {
  const copy = messages.map((m) => ({ ...m }));
  const last = copy.at(-1);
  if (last) last.content = `${last.content}\n\n${JSON_INSTRUCTION}`;
  return copy;
}

/**
 * Removes a leading ```json (or bare ```) fence and a trailing ``` fence, as the reference does. Anything else is
 * left for the caller's lenient parser: this layer never parses or validates JSON.
 */
export function stripJsonFences(text: string): string {
  return text
    .trim()
    .replace(/^```(?:json)?[ \t]*(?:\r?\n)?/i, '')
    .replace(/(?:\r?\n)?[ \t]*```$/, '')
    .trim();
}
