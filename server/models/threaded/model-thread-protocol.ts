/**
 * Messages between the server's event loop and its model-call thread (model-thread.ts, server/model-thread-main.ts),
 * and how a call and a failure cross between them.
 */
import {
  ModelCallError,
  type ModelErrorCode,
  type ModelHealth,
  type ModelRequest,
  type ModelResponse,
} from '../model-provider.ts';
import { describeError } from '../../../shared/errors.ts';

/** What the thread is started with. */
export interface ModelThreadData {
  /** The models file the server read; undefined: only the offline scripted model. */
  modelsFile: string | undefined;
  /** How often the thread reports a changed model health while calls run (ms). */
  healthEveryMs: number;
}

/**
 * Whose step it is: a person's (the label of their reply, which the final answer waits for) or research work that
 * nobody waits on (a twin's reply and its label, judging), which the thread runs a few at a time behind the person's
 * calls while it is busy (research-gate.ts).
 */
export type StepPriority = 'person' | 'research';

/** A request as it crosses: everything but the callbacks and the signal, which stay on the loop. */
export type WireRequest = Omit<ModelRequest, 'onChunk' | 'onRestart' | 'signal'>;

export function wireRequest(r: ModelRequest): WireRequest {
  return {
    messages: r.messages,
    purpose: r.purpose,
    ...(r.temperature !== undefined ? { temperature: r.temperature } : {}),
    ...(r.maxTokens !== undefined ? { maxTokens: r.maxTokens } : {}),
    ...(r.json !== undefined ? { json: r.json } : {}),
    ...(r.hint !== undefined ? { hint: r.hint } : {}),
  };
}

export type ToModelThread =
  /** `stream`: the caller passed onChunk, so the thread streams and posts each delta. */
  | { type: 'call'; id: number; model: string; request: WireRequest; stream: boolean }
  /**
   * A whole step of the engine with `model` (server/engine/model-steps.ts: prompt, call and parsing on the thread).
   * Named and typed there: this layer does not know the engine, only that the input and result are cloneable data.
   */
  | {
      type: 'step';
      id: number;
      model: string;
      step: string;
      input: unknown;
      priority: StepPriority;
    }
  | { type: 'abort'; id: number };

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** A failure as it crosses: a ModelCallError's fields, or (`code` null) any other error's message. */
export interface WireError {
  code: ModelErrorCode | null;
  message: string;
  attempts: number;
  status?: number;
}

/** A failure as it crosses: a ModelCallError's fields, or any other error's message. */
export function toWire(error: unknown): WireError {
  if (error instanceof ModelCallError)
    return {
      code: error.code,
      message: error.message,
      attempts: error.attempts,
      ...(error.status !== undefined ? { status: error.status } : {}),
    };
  return { code: null, message: describeError(error), attempts: 0 };
}

/** A failure as the loop raises it again: the same ModelCallError, or a plain Error with the message. */
export function fromWire(error: WireError): Error {
  return error.code === null
    ? new Error(error.message)
    : new ModelCallError(error.code, error.message, error.attempts, error.status);
}

export type FromModelThread =
  /** The thread built its registry; calls posted before this are queued in its port and run now. */
  | { type: 'ready' }
  | { type: 'chunk'; id: number; delta: string }
  /** The streamed call is attempted again: the deltas of call `id` so far belong to the failed attempt. */
  | { type: 'restart'; id: number }
  | { type: 'done'; id: number; response: ModelResponse }
  /** A step's result. */
  | { type: 'step_done'; id: number; result: unknown }
  | { type: 'failed'; id: number; error: WireError }
  /** The thread's model health for `model` changed (sent while calls run, and when one ends). */
  | { type: 'health'; model: string; health: ModelHealth }
  /** A log line, written by the server's logger (one log, one format). */
  | { type: 'log'; level: LogLevel; fields: Record<string, unknown>; msg: string };

/**
 * What the thread posts: its messages of one turn of its event loop together (deltas of many streams arrive in the
 * same turn under load), so the loop handles one message event per turn instead of one per delta.
 */
export type FromModelThreadBatch = readonly FromModelThread[];
