import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playEpisode } from '../../bench/support/live-actor.ts';
import { cpuSeconds } from '../../bench/support/proc-sampler.ts';
import { serveEnv, startServer, type ServerProcess } from '../../bench/support/live-server-process.ts';
import {
  joinStudy,
  liveHealth,
  prolificId,
  setUpLiveStudy,
  writeModelsFile,
} from '../../bench/support/live-study-setup.ts';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fake-openai-server.ts';
import { roleResponder } from '../support/role-responder.ts';
import { tempDir } from '../support/temp-files.ts';

/**
 * Live play on a served process (`prefdisco serve`), whose model calls run on the model-call thread: every episode
 * completes, and the main thread's CPU per model call is printed (from /proc, the thread whose id is the process id)
 * beside the whole process's, for comparison with a build that called in-process.
 */
const ACTORS = 8;
const READY = 'model calls run on the model-call thread';
const SEED = 7_100_017;
const dir = tempDir('prefdisco-model-thread-served-');
let models: FakeOpenAiServer;
let server: ServerProcess | null = null;

beforeAll(async () => {
  models = await startFakeOpenAiServer();
  models.respondWith(roleResponder({ questions: 3, chunks: 30, chunkDelayMs: 5 }));
});
afterAll(async () => {
  await server?.stop('SIGKILL');
  await models.close();
});

/** CPU seconds of one thread of a process (utime + stime of /proc/PID/task/TID/stat). */
function threadCpuSeconds(pid: number, tid: number): number {
  const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

describe('live play with the model-call thread on a served process', () => {
  it(`${ACTORS} actors play an episode each: all complete, the thread made the calls, and the main thread's CPU per call is reported`, async () => {
    const log = join(dir, 'server.log');
    server = await startServer(serveEnv(dir, writeModelsFile(dir, models.baseUrl)), { logFile: log });
    const { url, pid } = server;
    const study = await setUpLiveStudy(url, { model: 'mut', judgeModel: 'judge', playsPerRecord: 2, playsPerActor: 1 });
    const cookies = await Promise.all(
      Array.from({ length: ACTORS }, (_, i) => joinStudy(url, study.inviteCode, prolificId(SEED, i))),
    );
    // Counted once the thread runs: its start (compiling its code) is not the calls' cost.
    for (let i = 0; i < 300 && !readFileSync(log, 'utf8').includes(READY); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(readFileSync(log, 'utf8')).toContain(READY);
    const calls0 = models.requests.length;
    const main0 = threadCpuSeconds(pid, pid);
    const all0 = cpuSeconds(pid);
    const played = await Promise.all(
      cookies.map((cookie) =>
        playEpisode({ cookie, serverUrl: async () => url, thinkMs: () => 30, stallMs: 20_000, maxConnections: 1 }),
      ),
    );
    let health = await liveHealth(url, study);
    for (let i = 0; i < 100 && health.episodes.running > 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      health = await liveHealth(url, study);
    }
    const calls = models.requests.length - calls0;
    const mainMs = ((threadCpuSeconds(pid, pid) - main0) * 1000) / calls;
    const allMs = ((cpuSeconds(pid) - all0) * 1000) / calls;
    process.stdout.write(
      `served: ${calls} model calls; CPU ms per model call: main thread ${mainMs.toFixed(2)}, whole process ${allMs.toFixed(2)}\n`,
    );
    expect(played.map((p) => p.completionCode)).toEqual(played.map(() => 'C0DE-OK'));
    expect(health.episodes).toMatchObject({ completed: ACTORS, failed: 0, running: 0 });
    // The monitor's counts come from the thread, and they saw every call.
    expect(health.models.reduce((a, m) => a + m.calls, 0)).toBe(models.requests.length);
    expect(await server.stop('SIGTERM')).toBe(0);
    server = null;
  }, 180_000);
});
