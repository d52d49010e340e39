import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ModelCallError, type CallPurpose, type ModelRequest } from '../../server/models/model-provider.ts';
import { loadModelConfigs, ModelRegistry } from '../../server/models/model-registry.ts';
import { ModelThread } from '../../server/models/threaded/model-thread.ts';
import { ThreadedModels } from '../../server/models/threaded/threaded-models.ts';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fake-openai-server.ts';
import { tempDir, writeFile } from '../support/temp-files.ts';

/**
 * The served process's two model-call threads (main.ts): the model under test's turns on the live thread at the
 * loop's priority, every research call on the research thread at nice +10. Which thread made a call is read from each
 * thread's own health report; their priorities from /proc (Linux).
 */
const dir = tempDir('prefdisco-model-thread-split-');
const MODEL = { provider: 'openai-compatible', model: 'm', maxRetries: 0, timeoutMs: 5_000 };
let server: FakeOpenAiServer;
let live: ModelThread;
let research: ModelThread;
let models: ThreadedModels;
const logged: string[] = [];
const onLinux = process.platform === 'linux';

beforeAll(async () => {
  server = await startFakeOpenAiServer();
  const file = writeFile(
    dir,
    'models.json',
    JSON.stringify({ models: [{ name: 'm', baseUrl: server.baseUrl, ...MODEL }] }),
  );
  live = new ModelThread({ modelsFile: file, name: 'live', healthEveryMs: 50 });
  research = new ModelThread({ modelsFile: file, name: 'research', priority: 'background', healthEveryMs: 50 });
  models = new ThreadedModels(new ModelRegistry(loadModelConfigs(file), () => undefined), { live, research });
  const line = (level: string) => (obj: object, msg?: string) =>
    void logged.push(`${level} ${msg ?? ''} ${JSON.stringify(obj)}`);
  models.useLog({ debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') });
});
afterAll(async () => {
  await models.close();
  await server.close();
});

const ask = (purpose: CallPurpose, extra: Partial<ModelRequest> = {}): ModelRequest => ({
  messages: [{ role: 'user', content: 'Hi there.' }],
  purpose,
  ...extra,
});

/** The nice value of one of this process's threads: field 19 of /proc/self/task/TID/stat. */
function niceOf(tid: number): number {
  const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces: state is field 3, nice field 19.
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

async function failure(call: Promise<unknown>): Promise<ModelCallError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ModelCallError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('the live and the research model-call threads', () => {
  it('the model under test’s turns run on the live thread; the research thread is not even started', async () => {
    server.reset();
    models.start();
    const deltas: string[] = [];
    const response = await models.get('m').complete(ask('assistant', { onChunk: (d) => deltas.push(d) }));
    expect(deltas.join('')).toBe(response.text);
    expect(live.health('m').calls).toBe(1);
    expect(research.health('m').calls).toBe(0);
    expect(research.osThreadId).toBeNull();
    expect(server.requests).toHaveLength(1);
  });

  it.each(['simulated_user', 'rubric_judge', 'correctness_judge', 'disclosure_labeler'] as const)(
    'a %s call runs on the research thread, and the live thread stays idle',
    async (purpose) => {
      server.reset();
      const liveBefore = live.health('m').calls;
      const researchBefore = research.health('m').calls;
      await models.get('m').complete(ask(purpose, { json: purpose !== 'simulated_user' }));
      expect(server.requests).toHaveLength(1);
      expect(research.health('m').calls).toBe(researchBefore + 1);
      expect(live.health('m').calls).toBe(liveBefore);
    },
  );

  it('the model’s health is both threads’ reports added', () => {
    const health = models.get('m').health?.();
    expect(health?.calls).toBe(live.health('m').calls + research.health('m').calls);
    expect(health?.calls).toBe(5);
  });

  it.skipIf(!onLinux)('the research thread runs at nice +10; the live thread and the loop keep nice 0', async () => {
    await vi.waitFor(() => expect(research.osThreadId).not.toBeNull());
    const liveTid = live.osThreadId;
    const researchTid = research.osThreadId;
    if (liveTid === null || researchTid === null) throw new Error('both threads are ready by now');
    expect(new Set([liveTid, researchTid, process.pid]).size).toBe(3);
    expect(niceOf(researchTid)).toBe(10);
    expect(niceOf(liveTid)).toBe(0);
    expect(niceOf(process.pid)).toBe(0);
    expect(
      logged.some((l) => l.includes('model calls run on the research model-call thread') && l.includes('"niced":true')),
    ).toBe(true);
  });

  it('a crash of the research thread fails its calls only; the live thread goes on, and the new research thread is niced again', async () => {
    server.reset();
    server.plan({ kind: 'hang' });
    const oldTid = research.osThreadId;
    const judged = failure(models.get('m').complete(ask('rubric_judge')));
    await vi.waitFor(() => expect(server.inFlight).toBe(1));
    await research.kill();
    expect(await judged).toMatchObject({ code: 'connection' });
    expect(logged.some((l) => l.includes('the research model-call thread stopped unexpectedly'))).toBe(true);
    // Made during the restart pause: the assistant call is answered by the live thread meanwhile.
    const liveBefore = live.health('m').calls;
    expect((await models.get('m').complete(ask('assistant'))).text.length).toBeGreaterThan(0);
    expect(live.health('m').calls).toBe(liveBefore + 1);
    // A research call made now waits for the new thread.
    await models.get('m').complete(ask('correctness_judge', { json: true }));
    const newTid = research.osThreadId;
    expect(newTid).not.toBeNull();
    expect(newTid).not.toBe(oldTid);
    if (onLinux && newTid !== null) expect(niceOf(newTid)).toBe(10);
  }, 30_000);

  it('close cancels both threads’ calls with aborted and ends both threads', async () => {
    server.reset();
    server.plan({ kind: 'hang' }, { kind: 'hang' });
    const tids = [live.osThreadId, research.osThreadId];
    const calls = [
      failure(models.get('m').complete(ask('assistant', { onChunk: () => undefined }))),
      failure(models.get('m').complete(ask('rubric_judge'))),
    ];
    await vi.waitFor(() => expect(server.inFlight).toBe(2));
    await models.close();
    expect((await Promise.all(calls)).map((e) => e.code)).toEqual(['aborted', 'aborted']);
    expect([live.osThreadId, research.osThreadId]).toEqual([null, null]);
    if (onLinux)
      await vi.waitFor(() => expect(tids.map((tid) => existsSync(`/proc/self/task/${tid}`))).toEqual([false, false]));
    await vi.waitFor(() => expect(server.inFlight).toBe(0));
    expect((await failure(models.get('m').complete(ask('disclosure_labeler')))).code).toBe('aborted');
  });
});
