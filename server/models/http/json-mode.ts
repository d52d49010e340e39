import type { ModelMessage } from '../model-provider.ts';

/**
 * Appended to the last message of every JSON-mode call, as the reference's client does (`LLMClient.chat` in
 * src/llm/api_client.py). In our words, with its meaning: clean JSON only, no explanations, no code block, no ```json
 * marker (docs/prompt-contract.md).
 */
export const JSON_INSTRUCTION = 'Reply with clean JSON only: no explanations, no code blocks, and no ```json marker.';

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
