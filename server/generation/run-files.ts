import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { problemContextFor } from '../../shared/benchmark/source-task.ts';
import type { BenchmarkRecord } from '../../shared/schemas/benchmark.ts';
import type { GenerationConfig } from '../../shared/schemas/generation-config.ts';
import type { GeneralDimension } from '../../shared/schemas/preference.ts';
import { APP_VERSION } from '../version.ts';
import type { Dimension } from './dimension.ts';
import { DimensionLibrary } from './dimension-library.ts';
import type { GenerationState } from './generation-state.ts';
import { generationPromptHashes, type GenerationPromptSet } from './generation-prompts.ts';

/**
 * The settings that decide what a run produces. A rerun must match them to continue the run; the model, concurrency,
 * retry limit and paths may change between reruns because they do not change what a record is.
 */
export function generationSettings(config: GenerationConfig, sourceSha256: string): Record<string, unknown> {
  return {
    task: config.task,
    dataset: config.dataset ?? `local/${config.task}`,
    shape: config.source.shape,
    fields: config.source.fields,
    keepFields: config.source.keepFields,
    sourceSha256,
    sampleSize: config.sampleSize,
    seed: config.seed,
    personasPerProblem: config.personasPerProblem,
    generatePersonas: config.personas.generate,
    preferences: { ...config.preferences, libraryFile: undefined },
    batchSize: config.batchSize,
    temperature: config.temperature,
  };
}

/**
 * The metadata line (the file's first line, as in the reference) plus our provenance under `generator`. Nothing in it
 * depends on the clock or the machine, so the same run gives the same bytes.
 */
export function generationMetadata(
  config: GenerationConfig,
  state: GenerationState,
  sampleSize: number,
  general: Record<string, GeneralDimension>,
  prompts?: GenerationPromptSet,
): Record<string, unknown> {
  return {
    type: 'metadata',
    dataset: config.dataset ?? `local/${config.task}`,
    general_preferences: general,
    total_personas_in_library: state.totalPersonasInLibrary ?? 0,
    fixed_persona_library: true,
    personas_per_problem: config.personasPerProblem,
    sample_size: sampleSize,
    multi_model_generation: state.models.length > 1,
    llm_clients: state.models,
    source_task: config.source.shape,
    problem_context: problemContextFor(config.source.shape, config.dataset),
    generator: {
      name: 'prefdisco-live generate',
      version: APP_VERSION,
      task: config.task,
      seed: config.seed,
      source_sha256: state.settings.sourceSha256,
      dimensions_per_problem: config.preferences.dimensionsPerProblem,
      expertise_dimensions: config.preferences.expertiseDimensions,
      include_general_dimensions: config.preferences.includeGeneralDimensions,
      keep_per_record: config.preferences.keepPerRecord,
      keep_strategy: config.preferences.keepStrategy,
      batch_size: config.batchSize,
      temperature: config.temperature,
      personas_generated: state.personasGenerated,
      prompt_hashes: generationPromptHashes(prompts),
      // Only with a pack, so a file generated with our prompts keeps its bytes.
      ...(prompts?.pack ? { prompt_pack: prompts.pack } : {}),
    },
  };
}

/** The shared library file: `{name: {name, description, value_range, type}}`, as the reference's all_preferences.json. */
export function readLibraryFile(file: string): Dimension[] {
  if (!existsSync(file)) return [];
  const value = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Partial<Dimension>>;
  return Object.entries(value).map(([name, d]) => ({
    name,
    description: String(d.description ?? ''),
    value_range: String(d.value_range ?? ''),
    type: String(d.type ?? 'personal'),
  }));
}

/** Merges the file's current content, this run's starting library, general dimensions and every record's dimensions. */
export function writeLibraryFile(
  file: string,
  base: Dimension[],
  general: Dimension[],
  records: BenchmarkRecord[],
): void {
  const library = new DimensionLibrary([...readLibraryFile(file), ...base, ...general]);
  for (const record of records) {
    for (const [name, p] of Object.entries(record.persona_preferences)) {
      library.add({ name, description: p.description ?? '', value_range: p.value_range ?? '', type: p.type });
    }
  }
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(Object.fromEntries(library.list().map((d) => [d.name, d])), null, 2)}\n`);
  renameSync(tmp, file);
}

/** The files a run writes beside its output, all named after the task. */
export interface RunFiles {
  out: string;
  failures: string;
  state: string;
  skipped: string;
}

export function filesFor(outDir: string, task: string): RunFiles {
  const base = join(outDir, `personalized_${task}`);
  return {
    out: `${base}.jsonl`,
    failures: `${base}_failures.jsonl`,
    state: `${base}_state.json`,
    skipped: `${base}_skipped_rows.jsonl`,
  };
}
