import type { z } from 'zod';
import { jsonPath } from '../../shared/benchmark/issues.ts';
import type { ModelProvider, ModelRequest, TokenUsage } from '../models/model-provider.ts';
import { extractJson } from './lenient-json.ts';

export interface JsonCallResult<T> {
  /** The validated value, or null when every attempt failed to produce one. */
  value: T | null;
  /** The last raw reply, kept for audits and for the reference's text fallbacks. */
  raw: string;
  /** Calls made (1 = the first reply parsed). */
  attempts: number;
  /** Why earlier (or all) attempts were rejected, e.g. "attempt 1: $.score: Too big". */
  issues: string[];
  usage: TokenUsage;
}

function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    costUsd: a.costUsd === null || b.costUsd === null ? (a.costUsd ?? b.costUsd) : a.costUsd + b.costUsd,
  };
}

/**
 * Calls a model in JSON mode, parses the reply leniently (as the reference does) and validates it with a schema.
 * Where the reference gives up on the first unparseable reply (and silently skips the record), we ask again up to
 * `parseRetries` times and report every rejected reply. Transport errors (ModelCallError) propagate.
 */
export async function callForJson<S extends z.ZodType>(
  provider: ModelProvider,
  request: Omit<ModelRequest, 'json'>,
  schema: S,
  parseRetries = 2,
): Promise<JsonCallResult<z.infer<S>>> {
  const issues: string[] = [];
  let usage: TokenUsage = { inputTokens: 0, outputTokens: 0, costUsd: 0 };
  let raw = '';
  for (let attempt = 1; attempt <= parseRetries + 1; attempt++) {
    // A retry shows the model its unusable reply and what was wrong with it; that also keeps a response cache from
    // handing back the same reply.
    const messages =
      attempt === 1
        ? request.messages
        : [
            ...request.messages,
            { role: 'assistant' as const, content: raw },
            {
              role: 'user' as const,
              content: `That reply could not be used (${issues[issues.length - 1]?.replace(/^attempt \d+: /, '') ?? 'invalid'}). Reply again with only the JSON object asked for above.`,
            },
          ];
    const response = await provider.complete({ ...request, messages, json: true });
    usage = addUsage(usage, response.usage);
    raw = response.text;
    const extracted = extractJson(raw);
    if (!extracted.ok) {
      issues.push(`attempt ${attempt}: ${extracted.error}`);
      continue;
    }
    const parsed = schema.safeParse(extracted.value);
    if (parsed.success) return { value: parsed.data, raw, attempts: attempt, issues, usage };
    issues.push(
      `attempt ${attempt}: ${parsed.error.issues.map((i) => `${jsonPath(i.path)}: ${i.message}`).join('; ')}`,
    );
  }
  return { value: null, raw, attempts: parseRetries + 1, issues, usage };
}
