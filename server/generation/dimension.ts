import { z } from 'zod';

/**
 * A preference dimension: what a preference is about, before any persona's value is filled in
 * (docs/generating-benchmarks.md, Dimensions).
 */
export interface Dimension {
  name: string;
  description: string;
  value_range: string;
  /** `expertise`, `personal`, or `general` for dataset-level dimensions. */
  type: string;
}

const text = z.string().trim().min(1);

/** One dimension as a model writes it; the type is lower-cased because models write "Expertise" as often as not. */
export const DimensionReplySchema = z.looseObject({
  name: text,
  description: text,
  value_range: z.union([text, z.number().transform(String)]),
  type: z.string().trim().toLowerCase(),
});

export function toDimension(d: z.infer<typeof DimensionReplySchema>): Dimension {
  return { name: d.name, description: d.description, value_range: d.value_range, type: d.type };
}
