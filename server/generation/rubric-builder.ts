import { z } from 'zod';
import type { Persona } from '../../shared/schemas/persona.ts';
import type { Preference } from '../../shared/schemas/preference.ts';
import type { Criterion, Rubric } from '../../shared/schemas/rubric.ts';
import { dimensionKey } from './dimension-names.ts';
import { generateJson, type GenerationContext } from './generation-call.ts';
import { StepFailure } from './generation-errors.ts';
import { answerText, personaBriefText, problemText } from './generation-text.ts';

/** The reference's three rubric calls, by preference type; anything not expertise or personal goes to "other". */
export type CriterionGroup = 'expertise' | 'personal' | 'other';

const GROUP_INSTRUCTIONS: Record<CriterionGroup, string> = {
  expertise:
    'These preferences describe what this person already knows. A criterion judges whether the response pitches each skill or idea at their level: it neither skips what they lack nor belabours what they know.',
  personal:
    "These preferences come from this person's life, work and personality. A criterion judges whether the response uses or respects each one in a way that fits this problem.",
  other:
    'These are preferences that hold for this person across the dataset (or that still need a criterion). A criterion judges whether the response matches the stated value.',
};

export function groupOf(type: string): CriterionGroup {
  return type === 'expertise' || type === 'personal' ? type : 'other';
}

/** weight = local_importance / Σ local_importance, to 3 decimals as the reference's prompt states it. */
export function rubricWeights(preferences: Record<string, Preference>): Record<string, number> {
  const total = Object.values(preferences).reduce((sum, p) => sum + p.local_importance, 0);
  return Object.fromEntries(
    Object.entries(preferences).map(([name, p]) => [name, Math.round((p.local_importance / total) * 1000) / 1000]),
  );
}

const LevelSchema = z.looseObject({
  score: z.union([z.number(), z.string().trim().regex(/^\d$/).transform(Number)]).pipe(z.number().int().min(1).max(5)),
  description: z.string().trim().min(1),
});

/** Criteria as a model writes them; each must describe at least the anchors 1, 3 and 5, once each. */
export const CriteriaReplySchema = z.looseObject({
  evaluation_criteria: z
    .array(
      z.looseObject({
        preference: z.string().trim().min(1),
        description: z.string().trim().min(1),
        weight: z.unknown().optional(),
        levels: z.array(LevelSchema).superRefine((levels, ctx) => {
          const scores = levels.map((l) => l.score);
          if (new Set(scores).size !== scores.length)
            ctx.addIssue({ code: 'custom', message: 'a score appears twice in levels' });
          for (const anchor of [1, 3, 5])
            if (!scores.includes(anchor)) ctx.addIssue({ code: 'custom', message: `levels lack score ${anchor}` });
        }),
      }),
    )
    .min(1),
});
type ReplyCriterion = z.infer<typeof CriteriaReplySchema>['evaluation_criteria'][number];

export interface RubricRequest {
  persona: Persona;
  problem: Record<string, unknown>;
  problemContext: string;
  preferences: Record<string, Preference>;
}

async function askGroup(
  ctx: GenerationContext,
  request: RubricRequest,
  group: CriterionGroup,
  names: string[],
  weights: Record<string, number>,
): Promise<ReplyCriterion[]> {
  const listed = names.map((name) => {
    const p = request.preferences[name] as Preference;
    return `- ${name} (weight ${weights[name]}): value ${String(p.value)} on ${p.value_range ?? 'its scale'}; ${p.description ?? ''}; why: ${p.justification}`;
  });
  const reply = await generateJson(ctx, {
    stage: 'rubric',
    purpose: 'rubric_generation',
    prompt: 'rubricCriteria',
    values: {
      problem_context: request.problemContext,
      problem: problemText(request.problem),
      answer: answerText(request.problem),
      persona_brief: personaBriefText(request.persona),
      group_instructions: GROUP_INSTRUCTIONS[group],
      preferences: listed.join('\n'),
    },
    schema: CriteriaReplySchema,
    hint: {
      group,
      preferences: names.map((name) => ({ ...(request.preferences[name] as Preference), name, weight: weights[name] })),
    },
  });
  return reply.evaluation_criteria;
}

/** Criteria keyed by the exact preference name they belong to (a name off only in case or punctuation is put right). */
function byPreference(
  criteria: ReplyCriterion[],
  expected: string[],
): { matched: Map<string, ReplyCriterion>; extra: string[] } {
  const exact = new Map(expected.map((n) => [dimensionKey(n), n]));
  const matched = new Map<string, ReplyCriterion>();
  const extra: string[] = [];
  for (const c of criteria) {
    const name = exact.get(dimensionKey(c.preference));
    if (name === undefined) extra.push(c.preference);
    else if (!matched.has(name)) matched.set(name, c);
  }
  return { matched, extra };
}

/**
 * One group's criteria with the reference's repair rules: extra criteria are dropped when none is missing; missing
 * ones are asked for again with the "other" prompt when none is extra; any other mismatch retries the whole group,
 * up to `maxTries` times.
 */
async function groupCriteria(
  ctx: GenerationContext,
  request: RubricRequest,
  group: CriterionGroup,
  names: string[],
  weights: Record<string, number>,
): Promise<Map<string, ReplyCriterion>> {
  const problems: string[] = [];
  for (let attempt = 1; attempt <= ctx.maxTries; attempt++) {
    const { matched, extra } = byPreference(await askGroup(ctx, request, group, names, weights), names);
    let missing = names.filter((n) => !matched.has(n));
    if (missing.length > 0 && extra.length === 0) {
      const again = byPreference(await askGroup(ctx, request, 'other', missing, weights), missing);
      for (const [name, c] of again.matched) matched.set(name, c);
      missing = names.filter((n) => !matched.has(n));
    }
    if (missing.length === 0) return matched;
    problems.push(
      `attempt ${attempt}: no criterion for ${missing.map((m) => `"${m}"`).join(', ')}${extra.length > 0 ? `; criteria for unknown preferences ${extra.map((e) => `"${e}"`).join(', ')}` : ''}`,
    );
  }
  throw new StepFailure(
    'rubric',
    `the ${group} criteria never matched the preferences after ${ctx.maxTries} tries`,
    problems,
  );
}

/**
 * Step 4 of a record: one criterion per preference, named exactly as the preference, with levels 1/3/5 and
 * weight = local_importance / Σ local_importance. The weight is computed here rather than copied from the model's
 * reply (the reference let the model fill it in, so its weights could drift from the importances).
 */
export async function buildRubric(ctx: GenerationContext, request: RubricRequest): Promise<Rubric> {
  const weights = rubricWeights(request.preferences);
  const names = Object.keys(request.preferences);
  const groups: CriterionGroup[] = ['expertise', 'personal', 'other'];
  // The groups are independent calls; merged by name afterwards, so their completion order does not matter.
  const parts = await Promise.all(
    groups.map((group) => {
      const members = names.filter((n) => groupOf((request.preferences[n] as Preference).type) === group);
      return members.length === 0
        ? new Map<string, ReplyCriterion>()
        : groupCriteria(ctx, request, group, members, weights);
    }),
  );
  const all = new Map(parts.flatMap((part) => [...part]));
  const criteria: Criterion[] = names.map((name) => {
    const c = all.get(name) as ReplyCriterion;
    return {
      preference: name,
      description: c.description,
      weight: weights[name] as number,
      levels: [...c.levels]
        .sort((a, b) => a.score - b.score)
        .map((l) => ({ score: l.score, description: l.description })),
    };
  });
  return { evaluation_criteria: criteria };
}
