import type { ModelProvider } from '../../models/model-provider.ts';
import type { LiveEpisodeInfo } from '../../storage/live-storage.ts';
import type { EvaluationModels } from '../evaluation/episode-setup.ts';
import type { LiveDeps, LivePlaySettings } from './live-types.ts';

/**
 * A live episode's models by the names it was started with (the study's simulator if it recorded none), or the first
 * name this server no longer declares: such an episode cannot run (start refuses it, a resume ends it as failed).
 */
export function episodeModels(
  info: LiveEpisodeInfo,
  settings: LivePlaySettings,
  model: LiveDeps['model'],
): EvaluationModels | { missing: string } {
  const names = {
    assistant: info.summary.assistantModel,
    judge: info.summary.judgeModel,
    simulator: info.summary.simulatorModel ?? settings.simulatorModel,
  };
  const models: Partial<Record<keyof typeof names, ModelProvider>> = {};
  for (const [seat, name] of Object.entries(names) as [keyof typeof names, string][]) {
    try {
      models[seat] = model(name);
    } catch {
      return { missing: name };
    }
  }
  const { assistant, judge, simulator } = models;
  if (!assistant || !judge || !simulator) return { missing: names.assistant };
  return { assistant, judge, simulator };
}
