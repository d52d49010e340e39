import { existsSync, readFileSync } from 'node:fs';
import { jsonPath } from '../../shared/benchmark/issues.ts';
import { describeError } from '../../shared/errors.ts';
import { ModelConfigSchema, ModelsFileSchema, type ModelConfig } from '../../shared/schemas/models.ts';
import { AiSdkProvider } from './http/ai-sdk-provider.ts';
import type { ModelProvider } from './model-provider.ts';
import { ScriptedProvider } from './scripted/scripted-provider.ts';

/** Always available, with no file: the offline deterministic model for demos and tests. */
export const SCRIPTED_MODEL: ModelConfig = ModelConfigSchema.parse({
  name: 'scripted',
  provider: 'scripted',
  model: 'scripted-v1',
  maxConcurrency: 1024,
});

export class ModelsConfigError extends Error {
  override name = 'ModelsConfigError';
}

/**
 * Reads the models file (validated; a bad file stops start-up naming the file and the field). `scripted` is always
 * declared; a file may not redefine it.
 */
export function loadModelConfigs(file: string): ModelConfig[] {
  if (!existsSync(file)) return [SCRIPTED_MODEL];
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ModelsConfigError(`${file}: not valid JSON (${describeError(error)})`);
  }
  const parsed = ModelsFileSchema.safeParse(value);
  if (!parsed.success) {
    throw new ModelsConfigError(
      `${file}: invalid model configuration:\n  ${parsed.error.issues.map((i) => `${jsonPath(i.path)}: ${i.message}`).join('\n  ')}`,
    );
  }
  if (parsed.data.models.some((m) => m.name === SCRIPTED_MODEL.name)) {
    throw new ModelsConfigError(`${file}: the name "scripted" is reserved for the built-in offline model`);
  }
  return [SCRIPTED_MODEL, ...parsed.data.models];
}

export class ModelRegistry {
  private readonly providers = new Map<string, ModelProvider>();

  constructor(
    private readonly configs: ModelConfig[],
    private readonly secret: (variable: string) => string | undefined,
  ) {}

  names(): string[] {
    return this.configs.map((c) => c.name);
  }

  /**
   * The configuration of a declared model that can be used; throws as get() would (an unknown model, an API key that
   * is not set). ThreadedModels checks here, on the loop, before a call goes to the model-call thread.
   */
  check(name: string): ModelConfig {
    return this.resolve(name).config;
  }

  /** The provider for a declared model, created once and shared (so its concurrency limit and spend cap are global). */
  get(name: string): ModelProvider {
    const existing = this.providers.get(name);
    if (existing) return existing;
    const { config, apiKey } = this.resolve(name);
    const provider: ModelProvider =
      config.provider === 'scripted'
        ? new ScriptedProvider(config)
        : new AiSdkProvider({ config, ...(apiKey ? { apiKey } : {}) });
    this.providers.set(name, provider);
    return provider;
  }

  /** The model's configuration and its API key (the secret is read once). */
  private resolve(name: string): { config: ModelConfig; apiKey: string | undefined } {
    const config = this.configs.find((c) => c.name === name);
    if (!config) throw new ModelsConfigError(`unknown model "${name}"; declared models: ${this.names().join(', ')}`);
    if (config.provider === 'scripted') return { config, apiKey: undefined };
    const apiKey = config.apiKeyEnv ? this.secret(config.apiKeyEnv) : undefined;
    if (config.apiKeyEnv && apiKey === undefined) {
      throw new ModelsConfigError(
        `model "${name}" needs its API key in the environment variable ${config.apiKeyEnv}, which is not set`,
      );
    }
    return { config, apiKey };
  }
}
