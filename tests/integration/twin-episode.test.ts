import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EpisodeEvent } from '../../shared/schemas/episode.ts';
import { SCRIPTED_MODEL } from '../../server/models/model-registry.ts';
import type { ModelProvider, ModelRequest, ModelResponse } from '../../server/models/model-provider.ts';
import { ScriptedProvider } from '../../server/models/scripted/scripted-provider.ts';
import { JobRunner } from '../../server/services/jobs/job-runner.ts';
import { runTwinEpisode, TWIN_JOB_KIND, twinJobKey, type TwinDeps } from '../../server/services/live/twin-episode.ts';
import { twinJobHandler } from '../../server/services/live/twin-job.ts';
import type { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import { openSampleStorage } from '../support/sample-storage.ts';
import { runningEpisodeSummary } from '../support/episode-summary.ts';
import { tempDir } from '../support/temp-files.ts';

const dir = tempDir('prefdisco-twin-');
const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const log = { ...silent, child: () => log };
const opened: SqliteStorage[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

/** The scripted model, counting its calls and waiting for `gate()` before each answer (a test can hold a call). */
class GatedModel implements ModelProvider {
  readonly inner = new ScriptedProvider(SCRIPTED_MODEL);
  calls = 0;
  constructor(private readonly gate: () => Promise<void> = async () => undefined) {}
  get config(): ModelProvider['config'] {
    return this.inner.config;
  }
  readonly isTestModel = true;
  async complete(request: ModelRequest): Promise<ModelResponse> {
    this.calls += 1;
    await this.gate();
    if (request.signal?.aborted) throw new Error('call aborted');
    return this.inner.complete(request);
  }
}

/** A stored live episode of the sample study (infer_persona, the scripted models) the twin can be run for. */
async function liveEpisode(file: string): Promise<{ storage: SqliteStorage; studyId: string; liveId: string }> {
  const storage = await openSampleStorage(file);
  opened.push(storage);
  const studyId = (await storage.listStudies())[0]?.id ?? '';
  const problemId = (await storage.listRecords(studyId, { offset: 0, limit: 1 })).items[0]?.problemId ?? '';
  const liveId = crypto.randomUUID();
  await storage.live.begin({
    summary: runningEpisodeSummary(liveId, { problemId, personaId: 'p', userSeat: 'person' }),
    studyId,
    participantId: 'participant-1',
    assignmentId: null,
    spec: { mode: 'infer_persona', maxTurns: 3 },
  });
  return { storage, studyId, liveId };
}

function deps(storage: SqliteStorage, model: ModelProvider, answered: string[]): TwinDeps {
  return {
    storage,
    model: () => model,
    log,
    onAnswered: async (_studyId, id) => void answered.push(id),
  };
}

const withoutTimes = (events: readonly EpisodeEvent[]): unknown[] => events.map(({ at: _at, ...rest }) => rest);

describe('the simulated twin of a live episode, stored as it happens', () => {
  it('stores each event before the twin ends; stopped midway it keeps its prefix, and the next run continues from it to one completed twin', async () => {
    const file = join(dir, 'resume.sqlite');
    const { storage, liveId } = await liveEpisode(file);
    const answered: string[] = [];
    // The first run: stopped (as a shutdown stops it) while its 6th model call waits.
    const stop = new AbortController();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const first = new GatedModel(async () => {
      if (first.calls === 6) {
        stop.abort();
        await held;
      }
    });
    const running = runTwinEpisode(deps(storage, first, answered), { liveEpisodeId: liveId }, stop.signal);
    release();
    const stopped = await running;
    expect(stopped.status).toBe('aborted');
    const twinId = 'twinId' in stopped ? stopped.twinId : '';
    expect(await storage.live.twinsOf(liveId)).toEqual([twinId]);
    const prefix = await storage.live.eventsAfter(twinId, -1);
    // What was made before the stop is stored, in order, and the twin is still running (resumable), not failed.
    expect(prefix.length).toBeGreaterThanOrEqual(4);
    expect(prefix.map((e) => e.seq)).toEqual(prefix.map((_, i) => i));
    expect(prefix[0]?.type).toBe('episode_started');
    expect((await storage.getEpisode(twinId))?.summary.status).toBe('running');
    expect(answered).toEqual([]);

    // The process restarts (a new connection to the same file) and the twin's job runs again.
    await storage.close();
    opened.splice(0);
    const reopened = await openSampleStorage(file);
    opened.push(reopened);
    const second = new GatedModel();
    const resumed = await runTwinEpisode(
      deps(reopened, second, answered),
      { liveEpisodeId: liveId },
      new AbortController().signal,
    );
    expect(resumed).toEqual({ status: 'completed', twinId });
    const all = await reopened.live.eventsAfter(twinId, -1);
    expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i));
    // The stored prefix was continued, not rewritten or repeated.
    expect(withoutTimes(all.slice(0, prefix.length))).toEqual(withoutTimes(prefix));
    expect(all.filter((e) => e.type === 'episode_started')).toHaveLength(1);
    expect(all.at(-1)?.type).toBe('episode_completed');
    expect(await reopened.live.twinsOf(liveId)).toEqual([twinId]);
    expect((await reopened.getEpisode(twinId))?.summary).toMatchObject({
      status: 'completed',
      userSeat: 'simulated',
      mode: 'infer_persona',
    });
    expect(answered).toEqual([twinId]);
    // Fewer calls than a twin from scratch: the stored turns were not asked again.
    const other = await liveEpisode(join(dir, 'scratch.sqlite'));
    const fromScratch = new GatedModel();
    await runTwinEpisode(
      deps(other.storage, fromScratch, []),
      { liveEpisodeId: other.liveId },
      new AbortController().signal,
    );
    expect(second.calls).toBeLessThan(fromScratch.calls);

    // Running the job once more (a retried job after a crash past the end) stores nothing and asks no model.
    const again = new GatedModel();
    expect(
      await runTwinEpisode(deps(reopened, again, answered), { liveEpisodeId: liveId }, new AbortController().signal),
    ).toEqual({ status: 'completed', twinId });
    expect(again.calls).toBe(0);
    expect(await reopened.live.eventsAfter(twinId, -1)).toHaveLength(all.length);
    expect(await reopened.live.twinsOf(liveId)).toEqual([twinId]);
  });

  it('a twin whose last event was stored but not its end only has its end stored', async () => {
    const { storage, liveId } = await liveEpisode(join(dir, 'end.sqlite'));
    const answered: string[] = [];
    const done = await runTwinEpisode(
      deps(storage, new GatedModel(), answered),
      { liveEpisodeId: liveId },
      new AbortController().signal,
    );
    const twinId = 'twinId' in done ? done.twinId : '';
    const events = await storage.live.eventsAfter(twinId, -1);
    // As if the process died between the last event and the summary.
    await storage.live.finish(twinId, {
      status: 'running',
      weightedScore: null,
      correct: null,
      interactionTurns: null,
      failure: null,
    });
    const model = new GatedModel();
    expect(
      await runTwinEpisode(deps(storage, model, answered), { liveEpisodeId: liveId }, new AbortController().signal),
    ).toEqual({ status: 'completed', twinId });
    expect(model.calls).toBe(0);
    expect(await storage.live.eventsAfter(twinId, -1)).toHaveLength(events.length);
    const summary = (await storage.getEpisode(twinId))?.summary;
    expect(summary?.status).toBe('completed');
    expect(summary?.weightedScore).not.toBeNull();
    expect(answered).toEqual([twinId, twinId]);
  });

  it('a live episode that is not stored fails the twin with a reason, storing nothing', async () => {
    const { storage } = await liveEpisode(join(dir, 'missing.sqlite'));
    await expect(
      runTwinEpisode(deps(storage, new GatedModel(), []), { liveEpisodeId: 'nope' }, new AbortController().signal),
    ).rejects.toThrow('live episode nope is not stored');
    expect(await storage.live.twinsOf('nope')).toEqual([]);
  });
});

describe('the simulated twin as a job', () => {
  /** A runner with only the twin handler, as the research worker has it, on its own connection to the file. */
  function runner(storage: SqliteStorage, model: ModelProvider, answered: string[]): JobRunner {
    const { log: _log, ...rest } = deps(storage, model, answered);
    return new JobRunner({
      jobs: storage.jobs,
      handlers: { [TWIN_JOB_KIND]: twinJobHandler(rest) },
      log,
      idlePollMs: 50,
      cancelPollMs: 50,
    });
  }
  const until = async (what: () => Promise<boolean>, label: string): Promise<void> => {
    for (let i = 0; i < 200; i++) {
      if (await what()) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`timed out waiting for ${label}`);
  };

  it('enqueued twice is one job; a runner stopped midway gives it back with the twin running, and the next runner finishes it', async () => {
    const file = join(dir, 'job.sqlite');
    const { storage, liveId } = await liveEpisode(file);
    const key = twinJobKey(liveId);
    const payload = { liveEpisodeId: liveId };
    expect((await storage.jobs.enqueueJob({ kind: TWIN_JOB_KIND, key, payload })).created).toBe(true);
    expect((await storage.jobs.enqueueJob({ kind: TWIN_JOB_KIND, key, payload })).created).toBe(false);

    // Every model call waits 30 ms, so the twin is midway when the runner stops.
    const answered: string[] = [];
    const slow = new GatedModel(() => new Promise((r) => setTimeout(r, 30)));
    const first = runner(storage, slow, answered);
    first.start();
    await until(async () => slow.calls >= 4, 'the twin under way');
    const stopAt = Date.now();
    await first.stop();
    expect(Date.now() - stopAt).toBeLessThan(1000);
    expect(await storage.jobs.getJobByKey(key)).toMatchObject({ status: 'queued', attempts: 1 });
    const [twinId] = await storage.live.twinsOf(liveId);
    expect((await storage.getEpisode(twinId ?? ''))?.summary.status).toBe('running');
    const prefix = await storage.live.eventsAfter(twinId ?? '', -1);
    expect(prefix.length).toBeGreaterThan(1);

    const second = runner(storage, new GatedModel(), answered);
    second.start();
    await until(async () => (await storage.jobs.getJobByKey(key))?.status === 'done', 'the job done');
    await second.stop();
    expect(await storage.jobs.getJobByKey(key)).toMatchObject({ status: 'done', attempts: 2, error: null });
    expect(await storage.live.twinsOf(liveId)).toEqual([twinId]);
    const all = await storage.live.eventsAfter(twinId ?? '', -1);
    expect(withoutTimes(all.slice(0, prefix.length))).toEqual(withoutTimes(prefix));
    expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i));
    expect((await storage.getEpisode(twinId ?? ''))?.summary.status).toBe('completed');
    expect(answered).toEqual([twinId]);
  });

  it('a cancelled twin job ends its twin aborted; one that cannot run fails with the reason', async () => {
    const { storage, liveId } = await liveEpisode(join(dir, 'cancel.sqlite'));
    const key = twinJobKey(liveId);
    await storage.jobs.enqueueJob({ kind: TWIN_JOB_KIND, key, payload: { liveEpisodeId: liveId } });
    await storage.jobs.enqueueJob({ kind: TWIN_JOB_KIND, key: twinJobKey('gone'), payload: { liveEpisodeId: 'gone' } });
    const slow = new GatedModel(() => new Promise((r) => setTimeout(r, 30)));
    const run = runner(storage, slow, []);
    run.start();
    await until(async () => slow.calls >= 2, 'the twin under way');
    await storage.jobs.requestJobCancel({ key });
    await until(async () => (await storage.jobs.getJobByKey(key))?.status === 'cancelled', 'the job cancelled');
    await until(
      async () => (await storage.jobs.getJobByKey(twinJobKey('gone')))?.status === 'failed',
      'the other job failed',
    );
    await run.stop();
    const [twinId] = await storage.live.twinsOf(liveId);
    expect((await storage.getEpisode(twinId ?? ''))?.summary).toMatchObject({
      status: 'aborted',
      failure: { stage: 'aborted', reason: 'the simulated twin was cancelled' },
    });
    expect((await storage.jobs.getJobByKey(twinJobKey('gone')))?.error).toBe('live episode gone is not stored');
  });
});
