import { z } from 'zod';
import { CARETAKER_CONTEXT, type SourceTask } from '../../shared/benchmark/source-task.ts';
import type { Persona } from '../../shared/schemas/persona.ts';
import { DimensionReplySchema, toDimension, type Dimension } from './dimension.ts';
import { cleanDimensionName, dimensionKey, hasWishPrefix, MAX_NAME_LENGTH } from './dimension-names.ts';
import { generateJson, type GenerationContext } from './generation-call.ts';
import { personaProfileText, problemText, problemView } from './generation-text.ts';

export interface ProposalRequest {
  persona: Persona;
  problem: Record<string, unknown>;
  shape: SourceTask;
  problemContext: string;
  count: number;
  expertise: { min: number; max: number };
}

/**
 * During generation only, the reference recasts a medical question as a consultation by the patient's caretaker and
 * asks for caretaker dimensions, for the dataset names in CARETAKER_DATASETS only. We keep the caretaker framing as an
 * instruction rather than rewriting the question.
 */
const MEDQA_NOTE =
  '- This person is the caretaker of the patient described: they ask because someone they look after is in this situation. ' +
  'Expertise dimensions concern medical knowledge and comfort (in the spirit of "Comfort with Medical Terminology" or "Understanding of Treatment Options"); ' +
  'personal ones may concern caretaking (in the spirit of "Emotional Support Needs", "Decision-Making Role" or "Practical Care Concerns").\n';

/** The proposal's schema for this call: exact count, the expertise share, clean and unique names. */
export function proposalSchema(count: number, expertise: { min: number; max: number }) {
  return z
    .looseObject({ dimensions: z.array(DimensionReplySchema) })
    .transform((reply) => reply.dimensions.map((d) => ({ ...toDimension(d), name: cleanDimensionName(d.name) })))
    .superRefine((dims, ctx) => {
      if (dims.length !== count)
        ctx.addIssue({
          code: 'custom',
          path: ['dimensions'],
          message: `expected exactly ${count} dimensions, got ${dims.length}`,
        });
      const expert = dims.filter((d) => d.type === 'expertise').length;
      const wanted = { min: Math.min(expertise.min, count), max: Math.min(expertise.max, count) };
      if (expert < wanted.min || expert > wanted.max) {
        ctx.addIssue({
          code: 'custom',
          path: ['dimensions'],
          message: `expected ${wanted.min}–${wanted.max} dimensions of type "expertise", got ${expert}`,
        });
      }
      const seen = new Set<string>();
      dims.forEach((d, i) => {
        if (d.type !== 'expertise' && d.type !== 'personal')
          ctx.addIssue({
            code: 'custom',
            path: ['dimensions', i, 'type'],
            message: `type must be "expertise" or "personal", not "${d.type}"`,
          });
        if (d.name.length > MAX_NAME_LENGTH)
          ctx.addIssue({
            code: 'custom',
            path: ['dimensions', i, 'name'],
            message: `name longer than ${MAX_NAME_LENGTH} characters`,
          });
        if (hasWishPrefix(d.name))
          ctx.addIssue({
            code: 'custom',
            path: ['dimensions', i, 'name'],
            message: `name "${d.name}" starts with a wish phrase; name the dimension itself`,
          });
        const key = dimensionKey(d.name);
        if (key === '' || seen.has(key))
          ctx.addIssue({
            code: 'custom',
            path: ['dimensions', i, 'name'],
            message: `name "${d.name}" is empty or repeated`,
          });
        seen.add(key);
      });
    });
}

/** Step 1 of a record: the dimensions this persona would care about for this problem. */
export async function proposeDimensions(ctx: GenerationContext, request: ProposalRequest): Promise<Dimension[]> {
  const { count, expertise } = request;
  return generateJson(ctx, {
    stage: 'dimensions',
    purpose: 'dimension_proposal',
    prompt: 'dimensionProposal',
    values: {
      persona_profile: personaProfileText(request.persona),
      problem: problemText(request.problem),
      problem_context: request.problemContext,
      problem_context_upper: request.problemContext.toUpperCase(),
      count,
      expertise_min: Math.min(expertise.min, count),
      expertise_max: Math.min(expertise.max, count),
      // As the reference: the caretaker prompt follows the problem context, not the source shape.
      context_note: request.problemContext === CARETAKER_CONTEXT ? MEDQA_NOTE : '',
    },
    schema: proposalSchema(count, expertise),
    hint: {
      persona: request.persona,
      problem: problemView(request.problem),
      count,
      expertiseMin: Math.min(expertise.min, count),
      expertiseMax: Math.min(expertise.max, count),
    },
  });
}
