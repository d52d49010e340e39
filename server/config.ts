import { fileURLToPath } from 'node:url';
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';

/** The repository root; relative paths in config are resolved against it, so the app behaves the same from any cwd. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const EnvSchema = z.object({
  PREFDISCO_HOST: z.string().min(1).default('127.0.0.1'),
  PREFDISCO_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
  PREFDISCO_DB: z.string().min(1).default('data/prefdisco.sqlite'),
  PREFDISCO_PERSONAS_DIR: z.string().min(1).default('personas'),
  PREFDISCO_SAMPLE_FILE: z.string().min(1).default('data/sample-benchmark.jsonl'),
  PREFDISCO_SAMPLE_STUDY: z.string().min(1).default('Sample benchmark'),
  PREFDISCO_SEED_SAMPLE: bool.default(true),
  PREFDISCO_CLIENT_DIR: z.string().min(1).default('dist/client'),
  PREFDISCO_MODELS_FILE: z.string().min(1).default('config/models.json'),
  PREFDISCO_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Config {
  host: string;
  port: number;
  databaseFile: string;
  personasDir: string;
  sampleFile: string;
  sampleStudy: string;
  seedSample: boolean;
  clientDir: string;
  /** Declared models (JSON, see config/models.example.json); when the file is absent only `scripted` exists. */
  modelsFile: string;
  logLevel: z.infer<typeof EnvSchema>['PREFDISCO_LOG_LEVEL'];
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const DEFAULT_PORT = 5170;

function fromRoot(path: string): string {
  return path === ':memory:' || isAbsolute(path) ? path : resolve(PROJECT_ROOT, path);
}

/** Parses configuration from the environment. The only place in the server that reads process.env. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  return {
    host: e.PREFDISCO_HOST,
    port: e.PREFDISCO_PORT ?? e.PORT ?? DEFAULT_PORT,
    databaseFile: fromRoot(e.PREFDISCO_DB),
    personasDir: fromRoot(e.PREFDISCO_PERSONAS_DIR),
    sampleFile: fromRoot(e.PREFDISCO_SAMPLE_FILE),
    sampleStudy: e.PREFDISCO_SAMPLE_STUDY,
    seedSample: e.PREFDISCO_SEED_SAMPLE,
    clientDir: fromRoot(e.PREFDISCO_CLIENT_DIR),
    modelsFile: fromRoot(e.PREFDISCO_MODELS_FILE),
    logLevel: e.PREFDISCO_LOG_LEVEL,
  };
}

/**
 * A secret from the environment, by the variable name a config file gives (model API keys). Secrets are read only
 * here and never written to files, logs or results.
 */
export function secretFromEnv(variable: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[variable];
  return value === undefined || value === '' ? undefined : value;
}
