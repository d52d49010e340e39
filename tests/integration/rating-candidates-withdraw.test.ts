import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack } from '../../shared/protocol/acks.ts';
import type { CandidatesPreview } from '../../shared/schemas/api-studies.ts';
import type { BlindRatingItem } from '../../shared/schemas/live-study.ts';
import type { AssignmentProgress } from '../../shared/schemas/assignment-progress.ts';
import { ModelConfigSchema } from '../../shared/schemas/models.ts';
import type { RunInfo } from '../../shared/schemas/research.ts';
import { buildApp } from '../../server/app.ts';
import { AiSdkProvider } from '../../server/models/http/ai-sdk-provider.ts';
import { SCRIPTED_MODEL } from '../../server/models/model-registry.ts';
import { ScriptedProvider } from '../../server/models/scripted/scripted-provider.ts';
import type { ModelLookup } from '../../server/services/research/run-options.ts';
import type { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import { connectSocket, joinAs, listenOnce, signInResearcher, type TestSocket } from '../support/auth-helpers.ts';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fake-openai-server.ts';
import { roleResponder } from '../support/role-responder.ts';
import { openSampleStorage } from '../support/sample-storage.ts';
import { tempDir } from '../support/temp-files.ts';

/**
 * "Send to raters" with a way to look first and a way back, over real HTTP and real Socket.IO clients: a dry run
 * reports what would be added, by model and condition, and whether it is the offline test model, and stores nothing;
 * withdrawing takes unrated answers out of `rating:next` for good while rated ones keep their ratings.
 */

const dir = tempDir('prefdisco-withdraw-');
let fake: FakeOpenAiServer;
let storage: SqliteStorage;
let app: Awaited<ReturnType<typeof buildApp>>;
let url = '';
let cookie = '';
let studyId = '';
let scriptedRun = '';
let realRun = '';

async function http(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, as = cookie) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { cookie: as, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

async function finishedRun(body: Record<string, unknown>): Promise<string> {
  const started = await http('POST', `/api/studies/${studyId}/runs`, body);
  expect(started.status).toBe(202);
  const { runId } = started.body as { runId: string };
  for (let i = 0; i < 600; i++) {
    const { run } = (await http('GET', `/api/runs/${runId}`)).body as { run: RunInfo };
    if (run.status !== 'running') {
      expect(run.status).toBe('completed');
      return runId;
    }
    await sleep(50);
  }
  throw new Error(`run ${runId} did not finish`);
}

async function candidates(): Promise<AssignmentProgress['candidates']> {
  return ((await http('GET', `/api/studies/${studyId}/assignments`)).body as AssignmentProgress).candidates;
}

async function runEpisodes(runId: string): Promise<Set<string>> {
  return new Set((await storage.listEpisodes({ runId, limit: 1000 })).map((e) => e.id));
}

beforeAll(async () => {
  fake = await startFakeOpenAiServer();
  fake.respondWith(roleResponder({ questions: 1 }));
  storage = await openSampleStorage(join(dir, 'withdraw.sqlite'));
  const scripted = new ScriptedProvider(SCRIPTED_MODEL);
  const real = new AiSdkProvider({
    config: ModelConfigSchema.parse({
      name: 'model-real',
      provider: 'openai-compatible',
      model: 'real-1',
      baseUrl: fake.baseUrl,
      timeoutMs: 2000,
      maxRetries: 1,
      retryBaseDelayMs: 10,
    }),
  });
  const models: ModelLookup = {
    names: () => ['scripted', 'model-real'],
    get: (name) => (name === 'model-real' ? real : scripted),
  };
  app = await buildApp({ config: { clientDir: join(dir, 'no-client'), runsDir: join(dir, 'runs') }, storage, models });
  url = await listenOnce(app);
  cookie = (await signInResearcher({ app, storage })).cookie;
  studyId = (await storage.findStudyByName('Sample benchmark'))?.id ?? '';
  const settings = {
    models: ['scripted'],
    judgeModel: 'scripted',
    simulatorModel: 'scripted',
    showTranscript: true,
    raterOverlap: 1,
    goldRate: 0,
    quotas: { ratingsPerRater: 100 },
  };
  expect((await http('PUT', `/api/studies/${studyId}/settings`, settings)).status).toBe(200);
  scriptedRun = await finishedRun({ model: 'scripted', judge: 'scripted', maxProblems: 2, seed: 1 });
  realRun = await finishedRun({
    model: 'model-real',
    judge: 'scripted',
    modes: ['infer_persona', 'no_prompt'],
    maxProblems: 2,
    seed: 1,
  });
});

afterAll(async () => {
  await app.close();
  await storage.close();
  await fake.close();
});

describe('send to raters: dry run', () => {
  it('counts what would be added by model and condition, flags the offline test model, and adds nothing', async () => {
    const path = `/api/studies/${studyId}/rating-candidates`;
    expect(await candidates()).toEqual([]);

    const scripted = await http('POST', path, {
      runId: scriptedRun,
      modes: ['no_prompt', 'persona_known', 'infer_persona'],
      dryRun: true,
    });
    const group = { model: 'scripted', provider: 'scripted', testModel: true, wouldAdd: 2, unchanged: 0 };
    expect(scripted).toEqual({
      status: 200,
      body: {
        dryRun: true,
        wouldAdd: 6,
        unchanged: 0,
        groups: [
          { ...group, mode: 'infer_persona' },
          { ...group, mode: 'no_prompt' },
          { ...group, mode: 'persona_known' },
        ],
        testModel: true,
        // The study shows dialogues and its queue is empty: baseline and oracle answers have none.
        hidesTranscripts: true,
      },
    });
    expect(await candidates()).toEqual([]);

    const real = await http('POST', path, { runId: realRun, modes: ['infer_persona'], dryRun: true });
    expect((real.body as CandidatesPreview).groups).toEqual([
      {
        model: 'model-real',
        mode: 'infer_persona',
        provider: 'openai-compatible',
        testModel: false,
        wouldAdd: 2,
        unchanged: 0,
      },
    ]);
    expect(real.body).toMatchObject({ wouldAdd: 2, testModel: false, hidesTranscripts: false });
    expect(await candidates()).toEqual([]);

    // The real request adds what the preview said; a later preview counts those as already queued.
    expect((await http('POST', path, { runId: realRun, modes: ['infer_persona'] })).body).toEqual({
      added: 2,
      unchanged: 0,
    });
    const again = await http('POST', path, { runId: realRun, modes: ['infer_persona', 'no_prompt'], dryRun: true });
    expect(again.body).toMatchObject({ wouldAdd: 2, unchanged: 2, testModel: false, hidesTranscripts: true });
    expect(await candidates()).toHaveLength(2);

    // Chosen episodes preview the same way, and are checked the same way.
    const ids = [...(await runEpisodes(scriptedRun))];
    expect((await http('POST', path, { episodeIds: ids.slice(0, 1), dryRun: true })).body).toMatchObject({
      wouldAdd: 1,
      testModel: true,
    });
    const bad = await http('POST', path, { episodeIds: ['no-such-episode'], dryRun: true });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'invalid_payload', issues: [{ path: '$.episodeIds[0]' }] });
    expect(await candidates()).toHaveLength(2);
  });
});

describe('withdrawing answers', () => {
  it('takes unrated answers out of rating:next for good; rated ones keep their ratings', async () => {
    const path = `/api/studies/${studyId}/rating-candidates`;
    // The two real answers from the dry-run test, withdrawn by their item ids.
    const realItems = (await candidates()).map((c) => c.itemId);
    expect((await http('POST', `${path}/withdraw`, { itemIds: realItems })).body).toEqual({ withdrawn: 2, kept: 0 });

    const modes = ['no_prompt', 'persona_known', 'infer_persona'];
    expect((await http('POST', path, { runId: scriptedRun, modes })).body).toEqual({ added: 6, unchanged: 0 });
    expect((await http('POST', `/api/studies/${studyId}/open`)).status).toBe(200);

    // Rater A rates one answer and holds a second when the researcher withdraws the run.
    const a = await joinAs({ app, storage }, 'rater', { studyId });
    const socketA: TestSocket = await connectSocket(url, { cookie: a.cookie });
    const first: Ack<BlindRatingItem> = await socketA.timeout(5000).emitWithAck('rating:next', {});
    if (!first.ok) throw new Error(`no item: ${JSON.stringify(first)}`);
    const scores = Object.fromEntries(first.data.rubric.map((c) => [c.preference, 4]));
    const rated = await socketA
      .timeout(5000)
      .emitWithAck('rating:submit', { itemId: first.data.itemId, scores, correct: 1, secondsSpent: 30 });
    expect(rated.ok).toBe(true);
    const held: Ack<BlindRatingItem> = await socketA.timeout(5000).emitWithAck('rating:next', {});
    if (!held.ok) throw new Error(`no item: ${JSON.stringify(held)}`);
    expect(realItems).not.toContain(first.data.itemId);
    expect(realItems).not.toContain(held.data.itemId);

    const withdraw = { runId: scriptedRun, modes };
    expect((await http('POST', `${path}/withdraw`, withdraw)).body).toEqual({ withdrawn: 5, kept: 1 });
    // Withdrawing again changes nothing; sending the run again does not bring the answers back.
    expect((await http('POST', `${path}/withdraw`, withdraw)).body).toEqual({ withdrawn: 5, kept: 1 });
    expect((await http('POST', path, { runId: scriptedRun, modes })).body).toEqual({ added: 0, unchanged: 6 });

    // The held item is gone: its submit is refused, and neither A nor a new rater is given anything else.
    const late = await socketA.timeout(5000).emitWithAck('rating:submit', {
      itemId: held.data.itemId,
      scores: Object.fromEntries(held.data.rubric.map((c) => [c.preference, 4])),
      correct: 1,
      secondsSpent: 30,
    });
    expect(late).toMatchObject({ ok: false, error: 'not_found' });
    expect(await socketA.timeout(5000).emitWithAck('rating:next', {})).toMatchObject({
      ok: false,
      error: 'no_work',
    });
    const b = await joinAs({ app, storage }, 'rater', { studyId });
    const socketB: TestSocket = await connectSocket(url, { cookie: b.cookie });
    // k = 1 and the one answer left is rated: every other answer is withdrawn.
    expect(await socketB.timeout(5000).emitWithAck('rating:next', {})).toMatchObject({
      ok: false,
      error: 'no_work',
    });
    socketA.close();
    socketB.close();

    // The rating stays, with its item, and the researcher sees which answers were withdrawn.
    const ratings = await storage.work.listRatings(studyId);
    expect(ratings.map((r) => [r.itemId, r.participantId, r.scores])).toEqual([
      [first.data.itemId, a.participantId, scores],
    ]);
    const listed = await candidates();
    expect(
      listed
        .filter((c) => c.withdrawn === true)
        .map((c) => c.itemId)
        .sort(),
    ).toEqual(
      listed
        .filter((c) => c.itemId !== first.data.itemId)
        .map((c) => c.itemId)
        .sort(),
    );
    expect(listed.find((c) => c.itemId === first.data.itemId)).toMatchObject({ rated: 1 });
    expect(listed.find((c) => c.itemId === first.data.itemId)?.withdrawn).toBeUndefined();
  });

  it('refuses unknown item ids (withdrawing nothing), other studies’ runs, and anyone but a researcher', async () => {
    const path = `/api/studies/${studyId}/rating-candidates/withdraw`;
    const [rated] = (await candidates()).filter((c) => c.withdrawn !== true);
    const unknown = await http('POST', path, { itemIds: [rated?.itemId, 'not-an-item'] });
    expect(unknown).toMatchObject({
      status: 400,
      body: { error: 'invalid_payload', issues: [{ path: '$.itemIds[1]', message: 'no such answer in this study' }] },
    });
    expect((await http('POST', path, { runId: 'no-such-run', modes: ['no_prompt'] })).status).toBe(404);
    expect((await http('POST', path, { itemIds: [] })).status).toBe(400);
    const rater = await joinAs({ app, storage }, 'rater', { studyId });
    expect((await http('POST', path, { itemIds: [rated?.itemId] }, rater.cookie)).status).toBe(403);
    expect((await candidates()).filter((c) => c.withdrawn !== true).map((c) => c.itemId)).toEqual([rated?.itemId]);
  });
});
