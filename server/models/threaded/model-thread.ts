import { Worker } from 'node:worker_threads';
import { ModelCallError, type ModelHealth, type ModelRequest, type ModelResponse } from '../model-provider.ts';
import { addHealth, NO_HEALTH } from './model-health-sum.ts';
import type {
  FromModelThread,
  FromModelThreadBatch,
  LogLevel,
  ModelThreadData,
  StepPriority,
  ToModelThread,
} from './model-thread-protocol.ts';
import { fromWire, wireRequest } from './model-thread-protocol.ts';

/** Plain JS that registers tsx in the thread, then loads server/model-thread-main.ts. */
const ENTRY = new URL('../../model-thread-boot.mjs', import.meta.url);

/** The part of the server's logger this writes to (services/logger.ts's Logger is one; models may not import it). */
export type ThreadLog = Record<LogLevel, (obj: object, msg?: string) => void>;

export interface ModelThreadOptions {
  modelsFile: string | undefined;
  /** How often the thread reports changed model health while calls run (default 1 s). */
  healthEveryMs?: number;
}

/** What a call asks of the thread: one model call, or a whole engine step (ToModelThread's 'step'). */
type Work =
  { type: 'call'; request: ModelRequest } | { type: 'step'; step: string; input: unknown; priority: StepPriority };

interface Call {
  model: string;
  work: Work;
  /** The thread the call was posted to; null while it waits for one (during a restart pause). */
  worker: Worker | null;
  restarts: number;
  /** The thread's answer: 'done' for a model call, 'step_done' for a step. */
  resolve(answer: Extract<FromModelThread, { type: 'done' | 'step_done' }>): void;
  reject(error: Error): void;
  detach(): void;
}

/**
 * Runs model calls on one worker thread with its own model registry, so the HTTP client work of every call (request
 * building, sockets, SSE framing, JSON, retries) stays off the server's event loop; and whole engine steps with a model
 * (`step`: a label, a judgment, a twin's reply, their prompts and parsing too; server/engine/model-steps.ts). The loop keeps each call's
 * callbacks and signal; one small message crosses per delta. If the thread dies, its calls fail with 'connection'
 * and a new thread starts after a pause that grows with repeated deaths.
 */
export class ModelThread {
  #worker: Worker | null = null;
  readonly #calls = new Map<number, Call>();
  #nextId = 1;
  #deaths = 0;
  #restartTimer: NodeJS.Timeout | null = null;
  #closed = false;
  /** Per model: the health of threads that died (`base`) and the running thread's last report. */
  readonly #health = new Map<string, { base: ModelHealth; latest: ModelHealth }>();
  #log: ThreadLog | null = null;
  /** Lines from before the server's logger exists (main.ts builds the models before the app). */
  readonly #early: [LogLevel, object, string][] = [];

  constructor(private readonly options: ModelThreadOptions) {}

  useLog(log: ThreadLog): void {
    this.#log = log;
    for (const [level, fields, msg] of this.#early.splice(0)) log[level](fields, msg);
  }

  /** Starts the thread now rather than on the first call (main.ts does once the server listens). */
  start(): void {
    if (this.#worker || this.#closed) return;
    const data: ModelThreadData = {
      modelsFile: this.options.modelsFile,
      healthEveryMs: this.options.healthEveryMs ?? 1000,
    };
    const worker = new Worker(ENTRY, { workerData: data, name: 'model-thread' });
    this.#worker = worker;
    // The server's lifetime is decided by its sockets and signals, not by this thread.
    worker.unref();
    worker.on('message', (batch: FromModelThreadBatch) => {
      for (const message of batch) this.#onMessage(message);
    });
    worker.on('error', (error) => this.#write('error', { err: error }, 'the model-call thread failed'));
    worker.on('exit', (code) => this.#onExit(worker, code));
    // Calls made while no thread ran; the thread's port queues them until its code listens.
    for (const [id, call] of this.#calls) if (!call.worker) this.#post(id, call, worker);
  }

  complete(model: string, request: ModelRequest): Promise<ModelResponse> {
    return this.#send(model, { type: 'call', request }, request.signal, (answer) =>
      answer.type === 'done' ? answer.response : unexpected(answer.type),
    );
  }

  /**
   * Runs a whole engine step with `model` on the thread (server/engine/model-steps.ts names the steps and types their
   * input and result) and resolves with its result. Cancelled, failed and restarted like a model call.
   */
  step(
    model: string,
    step: string,
    input: unknown,
    signal?: AbortSignal,
    priority: StepPriority = 'person',
  ): Promise<unknown> {
    return this.#send(model, { type: 'step', step, input, priority }, signal, (answer) =>
      answer.type === 'step_done' ? answer.result : unexpected(answer.type),
    );
  }

  #send<T>(
    model: string,
    work: Work,
    signal: AbortSignal | undefined,
    read: (answer: Extract<FromModelThread, { type: 'done' | 'step_done' }>) => T,
  ): Promise<T> {
    if (signal?.aborted) return Promise.reject(new ModelCallError('aborted', 'cancelled before the call started', 0));
    if (this.#closed) return Promise.reject(new ModelCallError('aborted', 'the server is shutting down', 0));
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => this.#cancel(id, 'cancelled');
      signal?.addEventListener('abort', onAbort, { once: true });
      const call: Call = {
        model,
        work,
        worker: null,
        restarts: 0,
        resolve: (answer) => {
          try {
            resolve(read(answer));
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        },
        reject,
        detach: () => signal?.removeEventListener('abort', onAbort),
      };
      this.#calls.set(id, call);
      if (this.#worker) this.#post(id, call, this.#worker);
      else if (!this.#restartTimer) this.start();
    });
  }

  /** The model's health since the server started, across threads (a new thread counts from zero). */
  health(model: string): ModelHealth {
    const entry = this.#health.get(model);
    return entry ? addHealth(entry.base, entry.latest) : addHealth(NO_HEALTH, NO_HEALTH);
  }

  /** Ends the running thread as a crash would (its calls fail 'connection', a new one starts): tests the recovery. */
  async kill(): Promise<void> {
    await this.#worker?.terminate();
  }

  /** Cancels every call still running (they reject 'aborted'), then ends the thread. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#restartTimer) clearTimeout(this.#restartTimer);
    for (const id of [...this.#calls.keys()]) this.#cancel(id, 'the server is shutting down');
    const worker = this.#worker;
    this.#worker = null;
    // Ending the thread closes its sockets, so the providers see the requests the aborts did not reach cancelled.
    if (worker) await worker.terminate();
  }

  #post(id: number, call: Call, worker: Worker): void {
    call.worker = worker;
    const { work } = call;
    const message: ToModelThread =
      work.type === 'call'
        ? {
            type: 'call',
            id,
            model: call.model,
            request: wireRequest(work.request),
            stream: work.request.onChunk !== undefined,
          }
        : { ...work, id, model: call.model };
    try {
      worker.postMessage(message);
    } catch (error) {
      // A hint that cannot be cloned (a function): the caller's mistake, answered like any failed call.
      this.#settle(id)?.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  #settle(id: number): Call | undefined {
    const call = this.#calls.get(id);
    if (!call) return undefined;
    this.#calls.delete(id);
    call.detach();
    return call;
  }

  /** Rejects at once, as the in-process provider does, and tells the thread to stop the request. */
  #cancel(id: number, message: string): void {
    const call = this.#settle(id);
    if (!call) return;
    if (call.worker) call.worker.postMessage({ type: 'abort', id } satisfies ToModelThread);
    call.reject(new ModelCallError('aborted', message, call.worker ? call.restarts + 1 : 0));
  }

  #onMessage(message: FromModelThread): void {
    switch (message.type) {
      case 'ready':
        this.#deaths = 0;
        return this.#write('info', { thread: 'model-thread' }, 'model calls run on the model-call thread');
      case 'chunk':
        return this.#deliver(message.id, (request) => request.onChunk?.(message.delta));
      case 'restart': {
        const call = this.#calls.get(message.id);
        if (call) call.restarts += 1;
        return this.#deliver(message.id, (request) => request.onRestart?.());
      }
      case 'done':
      case 'step_done':
        return this.#settle(message.id)?.resolve(message);
      case 'failed':
        return this.#settle(message.id)?.reject(fromWire(message.error));
      case 'health': {
        const entry = this.#health.get(message.model);
        if (entry) entry.latest = message.health;
        else this.#health.set(message.model, { base: NO_HEALTH, latest: message.health });
        return;
      }
      case 'log':
        return this.#write(message.level, { thread: 'model-thread', ...message.fields }, message.msg);
    }
  }

  /** A callback that throws ends its call with that error (in-process it would end the stream), not the server. */
  #deliver(id: number, callback: (request: ModelRequest) => void): void {
    const call = this.#calls.get(id);
    // Cancelled already: late deltas of the stopped request are dropped. (A step streams nothing.)
    if (call?.work.type !== 'call') return;
    try {
      callback(call.work.request);
    } catch (error) {
      this.#settle(id);
      call.worker?.postMessage({ type: 'abort', id } satisfies ToModelThread);
      call.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  #onExit(worker: Worker, code: number): void {
    if (this.#worker === worker) this.#worker = null;
    // The dead thread's counts stay: health is since the server started.
    for (const entry of this.#health.values()) {
      entry.base = addHealth(entry.base, entry.latest);
      entry.latest = NO_HEALTH;
    }
    // 'connection': like a dropped socket, no answer came and the provider may or may not have received the request,
    // and the call may be made again. 'server_error' would blame the provider (it means an HTTP 5xx answer).
    for (const [id, call] of this.#calls) {
      if (call.worker !== worker) continue;
      this.#settle(id);
      call.reject(new ModelCallError('connection', 'the model-call thread stopped during the call', call.restarts + 1));
    }
    if (this.#closed) return;
    this.#deaths += 1;
    const delayMs = Math.min(30_000, 500 * 2 ** Math.min(this.#deaths - 1, 6));
    this.#write(
      'error',
      { exitCode: code, restartInMs: delayMs },
      'the model-call thread stopped unexpectedly; restarting it',
    );
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = null;
      this.start();
    }, delayMs);
    this.#restartTimer.unref();
  }

  #write(level: LogLevel, fields: object, msg: string): void {
    if (this.#log) this.#log[level](fields, msg);
    else if (this.#early.length < 100) this.#early.push([level, fields, msg]);
  }
}

function unexpected(type: string): never {
  throw new Error(`the model-call thread answered '${type}' to a request of another kind`);
}
