import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { GeneralDimensionSchema } from '../../shared/schemas/preference.ts';
import { describeError } from '../../shared/errors.ts';

/**
 * What a generation run must remember to continue after a crash, Ctrl-C or spend cap, beside its output as
 * `personalized_<task>_state.json`. The records themselves are the output file; everything derived from them (the
 * dimension library, each persona's earlier preferences) is rebuilt from it, so state and output cannot disagree.
 */

const DimensionEntrySchema = z.looseObject({
  name: z.string(),
  description: z.string(),
  value_range: z.string(),
  type: z.string(),
});

export const PlannedProblemSchema = z.strictObject({
  /** Index in the sampled list: the `i` of `problem_{i}_{persona_id}`. */
  index: z.number().int().min(0),
  /** Source line of the row, for failure reports. */
  line: z.number().int().min(1),
  personaIds: z.array(z.string()),
});
export type PlannedProblem = z.infer<typeof PlannedProblemSchema>;

export const GenerationStateSchema = z.strictObject({
  version: z.literal(1),
  /** The settings that decide the output; a rerun with different ones is refused rather than mixed in. */
  settings: z.record(z.string(), z.unknown()),
  /** Ids of the personas this run generated into the library, in order (so a rerun generates only the rest). */
  personasGenerated: z.array(z.string()),
  /** Which personas each sampled problem gets; fixed once drawn, so later library changes cannot reshuffle a run. */
  plan: z.array(PlannedProblemSchema).nullable(),
  totalPersonasInLibrary: z.number().int().min(0).nullable(),
  generalDimensions: z.record(z.string(), GeneralDimensionSchema).nullable(),
  /** The shared library file's content when the run first started (later runs of other tasks may change the file). */
  baseLibrary: z.array(DimensionEntrySchema),
  /** Models used, in the order first used (the metadata's `llm_clients`). */
  models: z.array(z.string()),
  /**
   * The prompt pack the run was started with (`--prompts`; null: our own prompts). A rerun with another is refused, so
   * one benchmark is never made with two prompt sets. Absent in state files written before it was kept: such a run
   * takes the pack of its next rerun.
   */
  promptPack: z.strictObject({ name: z.string(), sha256: z.string() }).nullable().optional(),
});
export type GenerationState = z.infer<typeof GenerationStateSchema>;

export class GenerationStateError extends Error {
  override name = 'GenerationStateError';
}

export function readState(file: string): GenerationState | null {
  if (!existsSync(file)) return null;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new GenerationStateError(
      `${file}: not valid JSON (${describeError(error)}); delete it and the output to start over`,
    );
  }
  const parsed = GenerationStateSchema.safeParse(value);
  if (!parsed.success)
    throw new GenerationStateError(
      `${file}: not a generation state file (${parsed.error.issues[0]?.message ?? 'invalid'})`,
    );
  return parsed.data;
}

/** Written to a temporary file and renamed, so a crash leaves the old state or the new one, never half of one. */
export function writeState(file: string, state: GenerationState): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, file);
}

export type PromptPackId = { name: string; sha256: string } | null;

/** A prompt set as messages name it, the way `run` does: the pack's name and hash, or ours. */
export function describePromptPack(pack: PromptPackId): string {
  return pack ? `prompt pack ${pack.name} (sha256 ${pack.sha256.slice(0, 12)}…)` : 'our own prompts';
}

/** Throws unless this run asks for the prompt set the saved run was started with (if the state says which). */
export function checkSamePromptPack(outFile: string, saved: GenerationState, requested: PromptPackId): void {
  if (saved.promptPack === undefined) return;
  if ((saved.promptPack?.sha256 ?? null) === (requested?.sha256 ?? null)) return;
  throw new GenerationStateError(
    `${outFile} was started with ${describePromptPack(saved.promptPack)}, this run asks for ` +
      `${describePromptPack(requested)}; continuing would make one benchmark with two prompt sets: ` +
      'rerun with the same --prompts, or use another --out directory',
  );
}

/** Setting names whose values differ between a saved run and this one. */
export function changedSettings(saved: Record<string, unknown>, current: Record<string, unknown>): string[] {
  const keys = [...new Set([...Object.keys(saved), ...Object.keys(current)])].sort();
  return keys.filter((k) => JSON.stringify(saved[k]) !== JSON.stringify(current[k]));
}
