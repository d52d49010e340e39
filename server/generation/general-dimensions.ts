import { z } from 'zod';
import type { GeneralDimension } from '../../shared/schemas/preference.ts';
import type { Rng } from '../../shared/stats/random.ts';
import { DimensionReplySchema } from './dimension.ts';
import { cleanDimensionName, dimensionKey, hasWishPrefix } from './dimension-names.ts';
import { generateJson, type GenerationContext } from './generation-call.ts';
import { problemText } from './generation-text.ts';
import { sampleWithoutReplacement } from './seeded.ts';

/** The reference shows the model 5 random problems of the dataset when it proposes dataset-level dimensions. */
export const GENERAL_EXAMPLES = 5;

function generalSchema(count: number) {
  return z
    .looseObject({
      dimensions: z.array(
        DimensionReplySchema.omit({ type: true }).extend({ global_importance: z.coerce.number().int().min(1).max(5) }),
      ),
    })
    .transform((r) => r.dimensions.map((d) => ({ ...d, name: cleanDimensionName(d.name) })))
    .superRefine((dims, ctx) => {
      if (dims.length !== count)
        ctx.addIssue({
          code: 'custom',
          path: ['dimensions'],
          message: `expected exactly ${count} dimensions, got ${dims.length}`,
        });
      const seen = new Set<string>();
      dims.forEach((d, i) => {
        const key = dimensionKey(d.name);
        if (key === '' || seen.has(key) || hasWishPrefix(d.name))
          ctx.addIssue({
            code: 'custom',
            path: ['dimensions', i, 'name'],
            message: `name "${d.name}" is empty, repeated or starts with a wish phrase`,
          });
        seen.add(key);
      });
    });
}

/**
 * Dataset-level dimensions that apply to every problem, generated once per task and stored in the metadata line
 * as `general_preferences` (name → {name, description, value_range, global_importance}).
 */
export async function generateGeneralDimensions(
  ctx: GenerationContext,
  request: { dataset: string; count: number; problems: Record<string, unknown>[]; rng: Rng },
): Promise<Record<string, GeneralDimension>> {
  if (request.count === 0) return {};
  const examples = sampleWithoutReplacement(request.problems, GENERAL_EXAMPLES, request.rng);
  const dims = await generateJson(ctx, {
    stage: 'general_dimensions',
    purpose: 'general_dimensions',
    prompt: 'generalDimensions',
    values: {
      dataset: request.dataset,
      count: request.count,
      example_count: examples.length,
      examples: examples.map((p, i) => `${i + 1}. ${problemText(p)}`).join('\n\n'),
    },
    schema: generalSchema(request.count),
    hint: { dataset: request.dataset, count: request.count, examples: examples.map((p) => problemText(p)) },
  });
  return Object.fromEntries(
    dims.map((d) => [
      d.name,
      {
        name: d.name,
        description: d.description,
        value_range: d.value_range,
        global_importance: d.global_importance,
      },
    ]),
  );
}
