import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { jsonPath } from '../../shared/benchmark/issues.ts';
import { GenerationConfigSchema, type GenerationConfig } from '../../shared/schemas/generation-config.ts';
import { unknownMappedFields } from './source-shapes.ts';
import { describeError } from '../../shared/errors.ts';

export class GenerationConfigError extends Error {
  override name = 'GenerationConfigError';
}

/** Command-line values that take precedence over the config file. */
export interface ConfigOverrides {
  sampleSize?: number;
  personasPerProblem?: number;
  seed?: number;
}

export interface LoadedGenerationConfig {
  config: GenerationConfig;
  file: string;
  /** Paths from the config, resolved against the config file's directory. */
  sourceFile: string;
  personasDir: string | null;
  libraryFile: string | null;
}

/** Reads and validates a generation config; every problem names the file and the JSON path. */
export function loadGenerationConfig(file: string, overrides: ConfigOverrides = {}): LoadedGenerationConfig {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new GenerationConfigError(
      `${file}: ${code === 'ENOENT' ? 'no such file' : `not valid JSON (${describeError(error)})`}`,
    );
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    if (overrides.sampleSize !== undefined) v.sampleSize = overrides.sampleSize;
    if (overrides.personasPerProblem !== undefined) v.personasPerProblem = overrides.personasPerProblem;
    if (overrides.seed !== undefined) v.seed = overrides.seed;
  }
  const parsed = GenerationConfigSchema.safeParse(value);
  if (!parsed.success) {
    throw new GenerationConfigError(
      `${file}: invalid generation config:\n  ${parsed.error.issues.map((i) => `${jsonPath(i.path)}: ${i.message}`).join('\n  ')}`,
    );
  }
  const config = parsed.data;
  const unknown = unknownMappedFields(config.source);
  if (unknown.length > 0) {
    throw new GenerationConfigError(
      `${file}: $.source.fields: ${unknown.map((u) => `"${u}"`).join(', ')} is not a field of the ${config.source.shape} shape (docs/generating-benchmarks.md lists them)`,
    );
  }
  const base = dirname(resolve(file));
  const at = (path: string): string => (isAbsolute(path) ? path : resolve(base, path));
  return {
    config,
    file,
    sourceFile: at(config.source.file),
    personasDir: config.personas.dir ? at(config.personas.dir) : null,
    libraryFile: config.preferences.libraryFile ? at(config.preferences.libraryFile) : null,
  };
}
