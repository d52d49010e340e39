import { parentPort, workerData } from 'node:worker_threads';
import { describeError } from '../shared/errors.ts';
import { secretFromEnv } from './config.ts';
import { ModelCallError, type ModelProvider } from './models/model-provider.ts';
import { loadModelConfigs, ModelRegistry, SCRIPTED_MODEL } from './models/model-registry.ts';
import { isModelStepName, runModelStepHere } from './engine/model-steps.ts';
import type {
  FromModelThread,
  FromModelThreadBatch,
  ModelThreadData,
  ToModelThread,
} from './models/threaded/model-thread-protocol.ts';
import { toWire } from './models/threaded/model-thread-protocol.ts';
import { RESEARCH_GATE, RESEARCH_GATE_EVERY_MS, ResearchGate } from './models/threaded/research-gate.ts';
import { runThisNonWriterInBackground } from './services/thread-priority.ts';

/**
 * The model-call thread (started by models/threaded/model-thread.ts; a composition root like main.ts): its own model
 * registry from the server's models file and secrets, so each model's concurrency limit and spend cap hold on this
 * thread. It runs the calls the loop posts and posts back deltas, restarts, the answer or the failure, and each model's
 * health; and the engine's model steps the loop posts (a label, a judgment, a twin's reply: engine/model-steps.ts),
 * prompt and parsing included. Nothing here touches storage or sockets.
 */
const port = parentPort;
if (!port) throw new Error('model-thread-main.ts runs only as a worker thread');
// Below the loop's CPU priority (services/thread-priority.ts says what it measured): people's acknowledgements go
// first. It holds no lock the loop waits for, and the streamed turns still get every core the loop leaves idle.
runThisNonWriterInBackground();
const data = workerData as ModelThreadData;
let outbox: FromModelThread[] = [];
const flush = (): void => {
  const batch: FromModelThreadBatch = outbox;
  outbox = [];
  port.postMessage(batch);
};
/** Sent at the end of this turn of the thread's loop, with the turn's other messages (see FromModelThreadBatch). */
const post = (message: FromModelThread): void => {
  if (outbox.push(message) === 1) setImmediate(flush);
};

const registry = new ModelRegistry(
  data.modelsFile === undefined ? [SCRIPTED_MODEL] : loadModelConfigs(data.modelsFile),
  (v) => secretFromEnv(v),
);
const running = new Map<number, AbortController>();
/** Per model, the last health sent (as JSON), so only changes cross. */
const sent = new Map<string, string>();
const used = new Map<string, ModelProvider>();

function postHealth(name: string, provider: ModelProvider): void {
  const health = provider.health?.();
  if (!health) return;
  const json = JSON.stringify(health);
  if (sent.get(name) === json) return;
  sent.set(name, json);
  post({ type: 'health', model: name, health });
}

/** What the loop asked: one model call, or a whole engine step (server/engine/model-steps.ts). */
type Request = Extract<ToModelThread, { type: 'call' | 'step' }>;

function answer(message: Request, provider: ModelProvider, signal: AbortSignal): Promise<FromModelThread> {
  const { id } = message;
  if (message.type === 'step') {
    if (!isModelStepName(message.step)) throw new Error(`unknown model step '${message.step}'`);
    // The loop typed the input by the step's name (runModelStep); the same name types it here.
    const input = message.input as Parameters<typeof runModelStepHere>[2];
    return runModelStepHere(message.step, provider, input, signal).then((result) => ({
      type: 'step_done',
      id,
      result,
    }));
  }
  return provider
    .complete({
      ...message.request,
      signal,
      ...(message.stream
        ? {
            onChunk: (delta: string) => post({ type: 'chunk', id, delta }),
            onRestart: () => post({ type: 'restart', id }),
          }
        : {}),
    })
    .then((response) => ({ type: 'done', id, response }));
}

// Research steps wait their turn behind the person's calls while this thread is busy (research-gate.ts says why).
const research = new ResearchGate(RESEARCH_GATE);
let utilization = performance.eventLoopUtilization();
setInterval(() => {
  const now = performance.eventLoopUtilization();
  research.adjust(performance.eventLoopUtilization(now, utilization).utilization);
  utilization = now;
}, RESEARCH_GATE_EVERY_MS).unref();

async function run(message: Request): Promise<void> {
  const { id } = message;
  const controller = new AbortController();
  running.set(id, controller);
  let provider: ModelProvider | undefined;
  try {
    provider = registry.get(message.model);
    used.set(message.model, provider);
    const chosen = provider;
    // A step cancelled while it waited fails at once when its turn comes (the provider refuses an aborted signal).
    const done = await (message.type === 'step' && message.priority === 'research'
      ? research.run(() => answer(message, chosen, controller.signal))
      : answer(message, provider, controller.signal));
    // Health first: once the loop has the answer, the monitor must already count the call.
    postHealth(message.model, provider);
    post(done);
  } catch (error) {
    if (provider) postHealth(message.model, provider);
    // Not a provider's failure but a bug: logged with its stack here, where it happened.
    if (!(error instanceof ModelCallError))
      post({
        type: 'log',
        level: 'error',
        fields: { model: message.model, err: describeError(error), stack: (error as Error | null)?.stack },
        msg: 'a model call failed unexpectedly',
      });
    post({ type: 'failed', id, error: toWire(error) });
  } finally {
    running.delete(id);
  }
}

port.on('message', (message: ToModelThread) => {
  if (message.type !== 'abort') void run(message);
  else running.get(message.id)?.abort();
});
// Retries of a long call show in the live monitor before the call ends.
setInterval(() => {
  if (running.size > 0) for (const [name, provider] of used) postHealth(name, provider);
}, data.healthEveryMs).unref();
post({ type: 'ready' });
