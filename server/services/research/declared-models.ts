import { loadModelConfigs, ModelRegistry, SCRIPTED_MODEL } from '../../models/model-registry.ts';
import type { ModelLookup } from './run-options.ts';

/**
 * The models of the models file (validated; a bad file stops start-up naming the file and the field), or only the
 * offline `scripted` model when no file is configured. Used when the composition root passes no registry of its own.
 */
export function declaredModels(
  modelsFile: string | undefined,
  secret: (variable: string) => string | undefined,
): ModelLookup {
  return new ModelRegistry(modelsFile === undefined ? [SCRIPTED_MODEL] : loadModelConfigs(modelsFile), secret);
}
