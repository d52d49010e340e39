import type { ModelProvider } from '../../models/model-provider.ts';
import type { ModelLookup } from '../research/run-options.ts';

/**
 * The models, with each call first letting the thread's event loop turn if it has not for `everyMs`. Why: a model that
 * answers without I/O (the scripted model) resolves as microtasks only, so a batch run of it never reaches the timers
 * and messages of its own thread: lease renewals, cancel polls, progress writes and the stop message would all wait for
 * the whole run (on the live loop this froze the server for the length of a run).
 */
export function yieldingModels(models: ModelLookup, everyMs = 10): ModelLookup {
  let turnedAt = performance.now();
  const turn = async (): Promise<void> => {
    if (performance.now() - turnedAt < everyMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    turnedAt = performance.now();
  };
  const wrap = (provider: ModelProvider): ModelProvider => ({
    config: provider.config,
    isTestModel: provider.isTestModel,
    complete: async (request) => {
      await turn();
      return provider.complete(request);
    },
    ...(provider.health ? { health: provider.health.bind(provider) } : {}),
  });
  return { names: () => models.names(), get: (name) => wrap(models.get(name)) };
}
