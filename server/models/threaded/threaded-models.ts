import type { ModelConfig } from '../../../shared/schemas/models.ts';
import type { ModelHealth, ModelProvider, ModelRequest, ModelResponse } from '../model-provider.ts';
import type { ModelRegistry } from '../model-registry.ts';
import { addHealth } from './model-health-sum.ts';
import type { ModelThread, ThreadLog } from './model-thread.ts';
import { modelThreadFor, type ModelThreadRole } from './model-thread-routing.ts';

/** The live and the research model-call thread (model-thread-routing.ts says which call goes where). */
export type ModelThreads = Readonly<Record<ModelThreadRole, ModelThread>>;

/**
 * A model whose calls run on a model-call thread, chosen per call by its purpose (model-thread-routing.ts): the loop
 * keeps only the call's callbacks and signal.
 */
export class ThreadedProvider implements ModelProvider {
  readonly isTestModel = false;

  constructor(
    readonly config: ModelConfig,
    private readonly threads: ModelThreads,
  ) {}

  complete(request: ModelRequest): Promise<ModelResponse> {
    return this.threads[modelThreadFor(request.purpose)].complete(this.config.name, request);
  }

  /** Both threads' last reports for this model, added (each sends its own while its calls run and as each ends). */
  health(): ModelHealth {
    return addHealth(this.threads.live.health(this.config.name), this.threads.research.health(this.config.name));
  }
}

/**
 * The served process's model lookup (main.ts): the declared models, each a proxy to the two model-call threads, which
 * each hold their own registry built from the same models file and secrets. Errors a person can fix (an unknown model,
 * a missing API key) are thrown here on the loop, as the registry throws them.
 */
export class ThreadedModels {
  readonly #providers = new Map<string, ModelProvider>();

  constructor(
    private readonly registry: ModelRegistry,
    readonly threads: ModelThreads,
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
      config.provider === 'scripted' ? this.registry.get(name) : new ThreadedProvider(config, this.threads);
    this.#providers.set(name, provider);
    return provider;
  }

  useLog(log: ThreadLog): void {
    this.threads.live.useLog(log);
    this.threads.research.useLog(log);
  }

  /**
   * Starts the live thread now (main.ts does once the server listens: a person's first turn should not wait for it to
   * compile and start). The research thread starts at its first call: a server whose studies make none never pays
   * for it, and at nice +10 its start takes only CPU the loop leaves.
   */
  start(): void {
    this.threads.live.start();
  }

  /** Cancels both threads' running calls (they reject 'aborted') and ends both threads. */
  async close(): Promise<void> {
    await Promise.all([this.threads.live.close(), this.threads.research.close()]);
  }
}
