import { z } from 'zod';
import { SOURCE_TASK_NAMES } from '../../shared/benchmark/source-task.ts';

/** The hand-written source of one sample problem (see data/sample-src/AUTHORING.md). */
const text = z.string().trim().min(1);

const SourcePreferenceSchema = z.strictObject({
  name: text,
  description: text,
  value_range: text,
  value: z.union([z.number().int().min(1).max(5), text]),
  local_importance: z.number().int().min(1).max(5),
  justification: text,
  type: z.enum(['expertise', 'personal']),
  criterion: z.strictObject({
    description: text,
    levels: z.strictObject({ 1: text, 3: text, 5: text }),
  }),
});

const VariantSchema = z
  .strictObject({
    persona_id: text,
    preferences: z.array(SourcePreferenceSchema).min(8).max(10),
  })
  .superRefine((variant, ctx) => {
    const expertise = variant.preferences.filter((p) => p.type === 'expertise').length;
    if (expertise < 2 || expertise > 3)
      ctx.addIssue({ code: 'custom', message: `has ${expertise} expertise preferences; 2–3 wanted` });
    const names = variant.preferences.map((p) => p.name);
    const repeated = names.filter((n, i) => names.indexOf(n) !== i);
    if (repeated.length > 0)
      ctx.addIssue({ code: 'custom', message: `repeats preference names: ${repeated.join(', ')}` });
    const prefixed = names.filter((n) => /^(Preference|Desire|Need) for /i.test(n));
    if (prefixed.length > 0)
      ctx.addIssue({
        code: 'custom',
        message: `names must not start with "Preference for" etc.: ${prefixed.join(', ')}`,
      });
    if (new Set(variant.preferences.map((p) => p.local_importance)).size < 3) {
      ctx.addIssue({ code: 'custom', message: 'local_importance must use at least three different values' });
    }
  });

export const SampleProblemSourceSchema = z.strictObject({
  index: z.number().int().min(0),
  task: z.enum(SOURCE_TASK_NAMES as [string, ...string[]]),
  original_problem: z.record(z.string(), z.unknown()),
  variants: z.array(VariantSchema).min(1),
});
export type SampleProblemSource = z.infer<typeof SampleProblemSourceSchema>;
