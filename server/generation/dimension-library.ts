import { z } from 'zod';
import { ModelCallError } from '../models/model-provider.ts';
import type { Dimension } from './dimension.ts';
import { dimensionKey } from './dimension-names.ts';
import { generateJson, type GenerationContext } from './generation-call.ts';
import { StepFailure } from './generation-errors.ts';

/**
 * The global dimension library (the reference's `all_preferences.json`): every dimension any record uses, so that the
 * same idea keeps one name across records, personas and tasks. Order is insertion order, which is deterministic
 * (pair order), so prompts built from it are reproducible.
 */
export class DimensionLibrary {
  readonly #byKey = new Map<string, Dimension>();

  constructor(initial: Iterable<Dimension> = []) {
    for (const d of initial) this.add(d);
  }

  get size(): number {
    return this.#byKey.size;
  }

  list(): Dimension[] {
    return [...this.#byKey.values()];
  }

  find(name: string): Dimension | undefined {
    return this.#byKey.get(dimensionKey(name));
  }

  /** Adds a dimension unless one with the same key is already there (the first definition stays canonical). */
  add(dimension: Dimension): void {
    const key = dimensionKey(dimension.name);
    if (!this.#byKey.has(key)) this.#byKey.set(key, { ...dimension });
  }
}

/** The reference compares new names against chunks of 200 existing dimensions, one model call per chunk. */
export const DEDUP_CHUNK = 200;

const DecisionsSchema = z.looseObject({
  decisions: z.array(
    z.looseObject({
      new_dimension: z.string(),
      action: z.string(),
      existing_dimension: z.string().nullish(),
      reason: z.string().nullish(),
    }),
  ),
});

export interface DedupResult {
  /** Canonical dimensions per proposal, in proposal order, without repeats; each keeps the proposal's type. */
  resolved: Dimension[][];
  /** New names mapped onto existing ones: new → existing. */
  mapped: Map<string, string>;
  /** Chunks whose reply was unusable on every try; their names were kept new, as the reference does. */
  warnings: string[];
}

function listing(dims: Dimension[]): string {
  return dims.map((d) => `- ${d.name}: ${d.description}`).join('\n');
}

/**
 * Step 2 of a record, done for a whole batch at once: exact matches (ignoring case and punctuation) reuse the library's
 * dimension; the remaining new names go to the model, which maps near-duplicates onto existing dimensions. An invalid
 * decision keeps the name new. With an empty library, or nothing new, no call is made.
 */
export async function dedupeProposals(
  ctx: GenerationContext,
  library: DimensionLibrary,
  proposals: Dimension[][],
): Promise<DedupResult> {
  const fresh = new Map<string, Dimension>();
  for (const proposal of proposals) {
    for (const d of proposal)
      if (!library.find(d.name) && !fresh.has(dimensionKey(d.name))) fresh.set(dimensionKey(d.name), d);
  }
  const mapped = new Map<string, string>();
  const warnings: string[] = [];
  const existing = library.list();
  if (fresh.size > 0 && existing.length > 0) {
    const chunks: Dimension[][] = [];
    for (let i = 0; i < existing.length; i += DEDUP_CHUNK) chunks.push(existing.slice(i, i + DEDUP_CHUNK));
    const newDims = [...fresh.values()];
    const replies = await Promise.all(
      chunks.map(async (chunk) => {
        try {
          return await generateJson(ctx, {
            stage: 'dedup',
            purpose: 'dimension_dedup',
            prompt: 'dimensionDedup',
            values: { new_dimensions: listing(newDims), existing_dimensions: listing(chunk) },
            schema: DecisionsSchema,
            hint: {
              newDimensions: newDims.map(({ name, description }) => ({ name, description })),
              existing: chunk.map(({ name, description }) => ({ name, description })),
            },
          });
        } catch (error) {
          if (error instanceof ModelCallError || !(error instanceof StepFailure)) throw error;
          warnings.push(
            `dedup reply unusable (${error.issues.at(-1) ?? error.message}); ${newDims.length} names kept new`,
          );
          return null;
        }
      }),
    );
    replies.forEach((reply, c) => {
      const chunkKeys = new Map((chunks[c] ?? []).map((d) => [dimensionKey(d.name), d.name]));
      for (const decision of reply?.decisions ?? []) {
        const newKey = dimensionKey(decision.new_dimension);
        const target = chunkKeys.get(dimensionKey(decision.existing_dimension ?? ''));
        if (decision.action !== 'map_to_existing' || !fresh.has(newKey) || target === undefined || mapped.has(newKey))
          continue;
        mapped.set(newKey, target);
      }
    });
  }
  const resolved = proposals.map((proposal) => {
    const out = new Map<string, Dimension>();
    for (const d of proposal) {
      // A new name spelt two ways within the batch ("Step-by-Step" / "Step by Step") takes its first spelling.
      const canonical =
        library.find(mapped.get(dimensionKey(d.name)) ?? d.name) ?? fresh.get(dimensionKey(d.name)) ?? d;
      const key = dimensionKey(canonical.name);
      if (!out.has(key)) out.set(key, { ...canonical, type: d.type });
    }
    return [...out.values()];
  });
  const mappedByName = new Map([...mapped].map(([key, target]) => [fresh.get(key)?.name ?? key, target]));
  return { resolved, mapped: mappedByName, warnings };
}
