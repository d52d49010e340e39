import { z } from 'zod';
import type { Persona } from '../../shared/schemas/persona.ts';
import type { Preference } from '../../shared/schemas/preference.ts';
import type { Dimension } from './dimension.ts';
import { dimensionKey } from './dimension-names.ts';
import { generateJson, type GenerationContext } from './generation-call.ts';
import { personaSummaryText, problemText, problemView } from './generation-text.ts';
import { earlierText, type EarlierPreference } from './preference-history.ts';

const ValueSchema = z.union([
  z.number(),
  // "4" is a number on the scale; the judge and PEP treat only numbers as scale values.
  z
    .string()
    .trim()
    .min(1)
    .transform((s) => (/^\d+(\.\d+)?$/.test(s) ? Number(s) : s)),
]);

const FilledSchema = z.looseObject({
  value: ValueSchema,
  local_importance: z
    .union([z.number(), z.string().trim().regex(/^\d$/).transform(Number)])
    .pipe(z.number().int().min(1).max(5)),
  justification: z.string().trim().min(1),
  type: z.string().optional(),
});

/** How many different importance levels a record of n preferences must use: the prompt asks for a spread. */
export function requiredDistinctImportances(n: number): number {
  return n >= 5 ? 3 : n >= 3 ? 2 : 1;
}

/**
 * The instantiation schema for one set of dimensions: exactly these keys (a key that differs only in case or
 * punctuation is put back to the exact name), each with a value, an importance from 1 to 5 and a justification,
 * and importances spread out.
 */
export function instantiationSchema(dimensions: Dimension[]) {
  const byKey = new Map(dimensions.map((d) => [dimensionKey(d.name), d.name]));
  return z
    .looseObject({ preferences: z.record(z.string(), FilledSchema) })
    .transform((r) =>
      Object.fromEntries(Object.entries(r.preferences).map(([k, v]) => [byKey.get(dimensionKey(k)) ?? k, v])),
    )
    .superRefine((filled, ctx) => {
      const names = dimensions.map((d) => d.name);
      const missing = names.filter((n) => !(n in filled));
      const extra = Object.keys(filled).filter((k) => !names.includes(k));
      if (missing.length > 0)
        ctx.addIssue({
          code: 'custom',
          path: ['preferences'],
          message: `missing ${missing.map((m) => `"${m}"`).join(', ')}`,
        });
      if (extra.length > 0)
        ctx.addIssue({
          code: 'custom',
          path: ['preferences'],
          message: `not asked for: ${extra.map((m) => `"${m}"`).join(', ')}`,
        });
      const levels = new Set(Object.values(filled).map((f) => f.local_importance));
      const needed = requiredDistinctImportances(names.length);
      if (missing.length === 0 && levels.size < needed) {
        ctx.addIssue({
          code: 'custom',
          path: ['preferences'],
          message: `local_importance uses ${levels.size} level(s); spread it over at least ${needed} of 1–5`,
        });
      }
    });
}

export interface InstantiationRequest {
  persona: Persona;
  problem: Record<string, unknown>;
  problemContext: string;
  dimensions: Dimension[];
  earlier: EarlierPreference[];
}

/**
 * Step 3 of a record: the persona's value, local importance and justification for each dimension, with its earlier
 * preferences in view for consistency across problems. The record keeps the dimension's own type (validated at
 * proposal time, or "general") rather than the type the model echoes back.
 */
export async function instantiatePreferences(
  ctx: GenerationContext,
  request: InstantiationRequest,
): Promise<Record<string, Preference>> {
  const filled = await generateJson(ctx, {
    stage: 'preferences',
    purpose: 'preference_instantiation',
    prompt: 'preferenceInstantiation',
    values: {
      persona_summary: personaSummaryText(request.persona),
      problem: problemText(request.problem),
      problem_context: request.problemContext,
      problem_context_upper: request.problemContext.toUpperCase(),
      dimensions: request.dimensions
        .map((d) => `- ${d.name} | ${d.type} | ${d.description} | ${d.value_range}`)
        .join('\n'),
      earlier_preferences: earlierText(request.earlier),
    },
    schema: instantiationSchema(request.dimensions),
    hint: {
      persona: request.persona,
      problem: problemView(request.problem),
      dimensions: request.dimensions,
      earlier: request.earlier,
    },
  });
  const out: Record<string, Preference> = {};
  for (const d of request.dimensions) {
    const f = filled[d.name];
    if (!f) continue;
    out[d.name] = {
      name: d.name,
      description: d.description,
      value_range: d.value_range,
      value: f.value,
      local_importance: f.local_importance,
      justification: f.justification,
      type: d.type,
      problem_context: request.problemContext,
    };
  }
  return out;
}
