import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createRng } from '../../shared/stats/random.ts';
import { connectActor, playEpisode, type ActorSocket } from './live-actor.ts';
import { joinStudy } from './live-study-setup.ts';
import { emptyReport, type WorkerReport, type WorkerRequest, type WorkerResponse } from './live-worker-protocol.ts';

/**
 * A worker process of the live bench: holds a share of the simulated persons, joins them through the invitation link
 * (`join`), then plays their episodes against whatever URL it is given (`play`: the app, then the echo server, with
 * the same persons and pattern) and reports what it measured. Forked by bench/live.bench.ts with `--import tsx`.
 */

let cookies: string[] = [];
const send = (m: WorkerResponse): void => void process.send?.(m);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs `work` over `items`, at most `limit` at a time. */
async function pool<T, R>(items: T[], limit: number, work: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i] as T, i);
    }
  });
  await Promise.all(lanes);
  return out;
}

async function play(m: Extract<WorkerRequest, { type: 'play' }>): Promise<WorkerReport> {
  const rng = createRng(m.seed);
  const report = emptyReport();
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const think = (): number => m.thinkMinMs + rng() * (m.thinkMaxMs - m.thinkMinMs);
  await Promise.all(
    cookies.map(async (cookie) => {
      // People arrive spread over the ramp, not all in the same millisecond.
      await sleep(rng() * m.rampMs);
      // One connection for all of a person's episodes, as the browser keeps its socket from play to rate to play.
      let socket: ActorSocket;
      try {
        socket = await connectActor({
          cookie,
          serverUrl: async () => m.url,
          onRefused: () => void (report.refusedConnects += 1),
          onConnected: (ms) => void report.connectMs.push(ms),
        });
      } catch (error) {
        if (report.errors.length < 10) report.errors.push(error instanceof Error ? error.message : String(error));
        return;
      }
      for (let e = 0; e < m.episodes; e++) {
        try {
          const started = performance.now();
          const outcome = await playEpisode({
            cookie,
            serverUrl: async () => m.url,
            thinkMs: think,
            socket,
            // As the browser: the person rates the final answer while the judges score it.
            rateAt: 'final_answer',
            onChunk: () => void (report.chunks += 1),
            onFirstText: (ms) => void report.firstTextMs.push(ms),
            onReplyAck: (a) => {
              if (!a.resent) {
                report.replyMs.push(a.ms);
                report.replyAt.push(Date.now());
              }
              report.acks.push({ episodeId: a.episodeId, clientMessageId: a.clientMessageId, seq: a.seq });
            },
          });
          report.episodeIds.push(outcome.episodeId);
          if (outcome.completionCode !== null) {
            report.completed += 1;
            report.episodeMs.push(performance.now() - started);
          } else if (report.errors.length < 10) {
            report.errors.push(`episode ${outcome.episodeId} ended without a completion code`);
          }
        } catch (error) {
          if (report.errors.length < 10) report.errors.push(error instanceof Error ? error.message : String(error));
          socket.close();
          return;
        }
      }
      socket.close();
    }),
  );
  lag.disable();
  report.loopDelayP99Ms = lag.percentile(99) / 1e6;
  return report;
}

process.on('message', (m: WorkerRequest) => {
  void (async () => {
    try {
      if (m.type === 'join') {
        cookies = await pool(m.actors, 16, (a) => joinStudy(m.url, m.inviteCode, a.prolificPid, a.forwardedFor));
        send({ type: 'joined' });
      } else {
        send({ type: 'done', report: await play(m) });
      }
    } catch (error) {
      send({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  })();
});
process.on('disconnect', () => process.exit(0));
