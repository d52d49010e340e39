import type { AckRecord } from './live-verify.ts';

/** IPC between the live bench and its client worker processes (bench/support/live-client-worker.ts). */

export interface WorkerActor {
  prolificPid: string;
  /** Each simulated person's own address, as seen through a trusted proxy (X-Forwarded-For). */
  forwardedFor: string;
}

export type WorkerRequest =
  | { type: 'join'; url: string; inviteCode: string; actors: WorkerActor[] }
  | {
      type: 'play';
      url: string;
      episodes: number;
      thinkMinMs: number;
      thinkMaxMs: number;
      rampMs: number;
      seed: number;
    };

export interface WorkerReport {
  /** Round trips of first sends of episode:reply, ms. */
  replyMs: number[];
  /** When each of those acks arrived (`Date.now()`, so the workers' figures line up), in the order of `replyMs`. */
  replyAt: number[];
  acks: AckRecord[];
  episodeIds: string[];
  /** Episodes that ended with the completion code. */
  completed: number;
  /** How long each completed episode took, from play:start to the rating's ack, ms. */
  episodeMs: number[];
  chunks: number;
  /** How long each person waited for the model's first text after their start or reply (ActorOptions.onFirstText). */
  firstTextMs: number[];
  /** Connection attempts the server refused; with the server up, each is a person kept waiting. */
  refusedConnects: number;
  /** How long each person's connection took to open, from the first attempt, ms. */
  connectMs: number[];
  errors: string[];
  /** The worker's own event-loop delay, p99 in ms: if high, the clients (not the server) limited the measurement. */
  loopDelayP99Ms: number;
}

/** A report with nothing played yet. */
export function emptyReport(): WorkerReport {
  return {
    replyMs: [],
    replyAt: [],
    acks: [],
    episodeIds: [],
    completed: 0,
    episodeMs: [],
    chunks: 0,
    firstTextMs: [],
    refusedConnects: 0,
    connectMs: [],
    errors: [],
    loopDelayP99Ms: 0,
  };
}

export type WorkerResponse =
  { type: 'joined' } | { type: 'done'; report: WorkerReport } | { type: 'failed'; error: string };
