import type { ModelConfig } from '../../../shared/schemas/models.ts';
import type { ModelHealth, ModelProvider, ModelRequest, ModelResponse } from '../model-provider.ts';
import type { ModelRegistry } from '../model-registry.ts';
import type { ModelThread } from './model-thread.ts';
import type { StepPriority } from './model-thread-protocol.ts';

/** A model whose calls run on the model-call thread: the loop keeps only the call's callbacks and signal. */
export class ThreadedProvider implements ModelProvider {
  readonly isTestModel = false;

  constructor(
    readonly config: ModelConfig,
    private readonly thread: ModelThread,
  ) {}

  complete(request: ModelRequest): Promise<ModelResponse> {
    return this.thread.complete(this.config.name, request);
  }

  /** Runs a whole engine step with this model on the thread (server/engine/model-steps.ts, which types it). */
  step(step: string, input: unknown, signal?: AbortSignal, priority?: StepPriority): Promise<unknown> {
    return this.thread.step(this.config.name, step, input, signal, priority);
  }

  /** The thread's last report for this model (sent while its calls run and as each ends). */
  health(): ModelHealth {
    return this.thread.health(this.config.name);
  }
}

/**
 * The served process's model lookup (main.ts): the declared models, each a proxy to the one model-call thread, which
 * holds its own registry built from the same models file and secrets. Errors a person can fix (an unknown model, a
 * missing API key) are thrown here on the loop, as the registry throws them.
 */
export class ThreadedModels {
  readonly #providers = new Map<string, ModelProvider>();

  constructor(
    private readonly registry: ModelRegistry,
    readonly thread: ModelThread,
  ) {}

  names(): string[] {
    return this.registry.names();
  }

  get(name: string): ModelProvider {
    const existing = this.#providers.get(name);
    if (existing) return existing;
    const config = this.registry.check(name);
    // The scripted model does no I/O: its reply is a few string operations on the loop, cheaper than the two messages
    // a call to the thread costs, and its hints (engine state for the stand-in) need not be cloned per call.
    const provider =
      config.provider === 'scripted' ? this.registry.get(name) : new ThreadedProvider(config, this.thread);
    this.#providers.set(name, provider);
    return provider;
  }
}
