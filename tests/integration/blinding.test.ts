import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODES, USER_TYPES } from '../../shared/schemas/evaluation.ts';
import type { Ack } from '../../shared/protocol/acks.ts';
import type { BlindRatingItem } from '../../shared/schemas/live-study.ts';
import type { EpisodeSummary } from '../../shared/schemas/episode.ts';
import { ModelConfigSchema } from '../../shared/schemas/models.ts';
import { AiSdkProvider } from '../../server/models/http/ai-sdk-provider.ts';
import { runBatch } from '../../server/services/evaluation/batch-run.ts';
import { connectSocket, joinAs, signInResearcher, type TestSocket } from '../support/auth-helpers.ts';
import { separatedByLength, shapeOf } from '../support/item-shape.ts';
import { deepScan, routesOf, type Forbidden } from '../support/blind-scan.ts';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fake-openai-server.ts';
import { exampleRecord } from '../support/records.ts';
import { roleResponder } from '../support/role-responder.ts';
import { call, episodeLog, startWorkApp, storeLiveEpisode, type WorkApp } from '../support/study-work-app.ts';
import { shownConsent } from '../../server/services/consent/consent-text.ts';
import { jsonl, tempDir, writeFile } from '../support/temp-files.ts';

/**
 * Blinding (non-negotiable): everything a rater can receive, over the socket and over HTTP, is collected
 * and deep-scanned for anything that says which model, condition or user produced an answer, or which episode or run.
 * The items' shapes are compared too: keys, value types, optional fields and transcript lengths must not tell gold
 * from real answers, one condition from another, or a person from the simulator.
 *
 * Two studies, both asking for transcripts: "Blinding" mixes every condition, a live session, its twin and a gold item
 * (so no item may show a dialogue); "Blinding, dialogues" holds only discovery answers with a dialogue (so every item
 * shows one).
 */

const dir = tempDir();
const MODELS = ['model-alpha-live', 'model-beta-13b', 'judge-omega', 'sim-kappa'];
const LIVE_EPISODE = 'live-episode-7f3a';
const TWIN_EPISODE = 'twin-episode-c9d1';
let t: WorkApp;
let server: FakeOpenAiServer;
let studyId = '';
let dialogueStudyId = '';
let runId = '';
const episodeIds: string[] = [];
const received: { where: string; body: unknown }[] = [];

function provider(name: string): AiSdkProvider {
  return new AiSdkProvider({
    config: ModelConfigSchema.parse({
      name,
      provider: 'openai-compatible',
      model: name,
      baseUrl: server.baseUrl,
      timeoutMs: 2000,
      maxRetries: 1,
      retryBaseDelayMs: 10,
    }),
  });
}

beforeAll(async () => {
  server = await startFakeOpenAiServer();
  server.respondWith(roleResponder({ questions: 1 }));
  t = await startWorkApp(dir, MODELS);
  const records = [exampleRecord(0), exampleRecord(1)];
  ({ studyId } = await t.storage.importBenchmark({
    studyName: 'Blinding',
    sourceName: 'b.jsonl',
    sha256: 'blind',
    bytes: 1,
    metadata: null,
    records: records.map((record, i) => ({ line: i + 1, task: 'math', record })),
  }));
  ({ studyId: dialogueStudyId } = await t.storage.importBenchmark({
    studyName: 'Blinding, dialogues',
    sourceName: 'b.jsonl',
    sha256: 'blind-dialogues',
    bytes: 1,
    metadata: null,
    records: records.map((record, i) => ({ line: i + 1, task: 'math', record })),
  }));

  // Batch-run episodes, stored by the real batch runner: every condition, two simulated user types.
  const bench = writeFile(
    dir,
    'bench.jsonl',
    jsonl([{ type: 'metadata', dataset: 'HuggingFaceH4/MATH-500' }, ...records]),
  );
  const summary = await runBatch({
    benchmarkFile: bench,
    outFile: join(dir, 'results.jsonl'),
    models: { assistant: provider('model-beta-13b'), judge: provider('judge-omega'), simulator: provider('sim-kappa') },
    modes: [...MODES],
    userTypes: ['passive', 'collaborative'],
    maxTurns: 3,
    fixedQuestions: null,
    maxProblems: null,
    seed: 1,
    shard: null,
    concurrency: 4,
    referenceQuirks: false,
    skipImages: false,
    storage: t.storage,
    signal: new AbortController().signal,
  });
  expect(summary).toMatchObject({ done: 8, failed: 0 });
  runId = summary.runId ?? '';
  episodeIds.push(...(await t.storage.listEpisodes({ runId })).map((e) => e.id));

  // A live session played by a person, and its simulated twin (whose private thought names the simulator).
  const actor = await joinAs(t, 'actor', { studyId });
  const live = {
    problemId: records[0]?.problem_id ?? '',
    personaId: 'okafor_3fa9c21b',
    mode: 'infer_persona' as const,
    judgeModel: 'judge-omega',
    exchanges: [
      {
        question: "###ACTION###: 'ask_question'\n###RESPONSE###: Do you like drawing the shape first?",
        reply: 'Yes, pictures help me.',
      },
    ],
  };
  await storeLiveEpisode(
    t.storage,
    {
      ...live,
      id: LIVE_EPISODE,
      userType: 'passive_nostop',
      userSeat: 'person',
      assistantModel: 'model-alpha-live',
      simulatorModel: 'sim-kappa',
      finalAnswer:
        "###ACTION###: 'final_answer'\n###RESPONSE###: Split the hexagon into 4 triangles: 4 x 180 = 720 degrees.",
    },
    studyId,
    actor.participantId,
  );
  const twin = episodeLog({
    ...live,
    id: TWIN_EPISODE,
    userType: 'passive',
    userSeat: 'simulated',
    assistantModel: 'model-alpha-live',
    simulatorModel: 'sim-kappa',
    exchanges: [
      {
        question: live.exchanges[0]?.question ?? '',
        reply: 'I prefer pictures. ###STOP###',
        thought: 'sim-kappa plays a passive user',
      },
    ],
    finalAnswer: "###ACTION###: 'final_answer'\n###RESPONSE###: Draw it: 720 degrees.",
  });
  await t.storage.saveEpisode(twin.summary, twin.events);
  episodeIds.push(LIVE_EPISODE, TWIN_EPISODE);

  for (const id of episodeIds) {
    const episode = await t.storage.getEpisode(id);
    sourceTimes.push(
      episode?.summary.startedAt ?? '',
      episode?.summary.endedAt ?? '',
      ...(episode?.events.map((e) => e.at) ?? []),
    );
  }

  const researcher = (await signInResearcher(t)).cookie;
  const settings = {
    models: ['model-alpha-live', 'model-beta-13b'],
    simulatorModel: 'sim-kappa',
    judgeModel: 'judge-omega',
    showTranscript: true,
    raterOverlap: 10,
    goldRate: 0.3,
    quotas: { ratingsPerRater: 50 },
  };
  expect((await call(t.app, researcher, 'PUT', `/api/studies/${studyId}/settings`, settings)).status).toBe(200);
  expect(
    (await call(t.app, researcher, 'POST', `/api/studies/${studyId}/rating-candidates`, { episodeIds })).body,
  ).toEqual({ added: 10, unchanged: 0 });
  const gold = {
    problemId: records[1]?.problem_id,
    answer: 'Hexagons are nice.',
    expectedScores: { 'Comfort with Polygon Decomposition': 1, 'Honeycomb Analogies': 1, 'Notation Density': 1 },
  };
  expect((await call(t.app, researcher, 'POST', `/api/studies/${studyId}/gold-items`, { items: [gold] })).body).toEqual(
    { added: 1 },
  );
  expect((await call(t.app, researcher, 'POST', `/api/studies/${studyId}/open`)).status).toBe(200);

  // The dialogue study: the run's discovery answers (two simulated user types), the live session and its twin.
  const dialogueUrl = `/api/studies/${dialogueStudyId}`;
  expect((await call(t.app, researcher, 'PUT', `${dialogueUrl}/settings`, { ...settings, goldRate: 0 })).status).toBe(
    200,
  );
  const discovery = (await t.storage.listEpisodes({ runId }))
    .filter((e) => e.mode === 'infer_persona')
    .map((e) => e.id);
  expect(
    (
      await call(t.app, researcher, 'POST', `${dialogueUrl}/rating-candidates`, {
        episodeIds: [...discovery, LIVE_EPISODE, TWIN_EPISODE],
      })
    ).body,
  ).toEqual({ added: 6, unchanged: 0 });
  expect((await call(t.app, researcher, 'POST', `${dialogueUrl}/open`)).status).toBe(200);

  // Two raters per study work through the whole queue over real sockets; every ack is kept.
  for (const [study, prefix] of [
    [studyId, ''],
    [dialogueStudyId, 'dialogues '],
  ] as const) {
    for (const n of [1, 2]) {
      const rater = await joinAs(t, 'rater', { studyId: study });
      const socket: TestSocket = await connectSocket(t.url, { cookie: rater.cookie });
      for (;;) {
        const ack: Ack<BlindRatingItem> = await socket.timeout(5000).emitWithAck('rating:next', {});
        received.push({ where: `${prefix}rater ${n} rating:next`, body: ack });
        if (!ack.ok) break;
        const scores = Object.fromEntries(ack.data.rubric.map((c) => [c.preference, 3]));
        const submitted = await socket
          .timeout(5000)
          .emitWithAck('rating:submit', { itemId: ack.data.itemId, scores, correct: 1, secondsSpent: 20 });
        received.push({ where: `${prefix}rater ${n} rating:submit`, body: submitted });
      }
      socket.close();
      if (prefix === '') await collectHttp(rater.cookie, n);
    }
  }
});

afterAll(async () => {
  await t.close();
  await server.close();
});

/** Every route the app has, called with the rater's cookie (GET) and ids filled in, including ones they must not use. */
/**
 * The journey carries the role's built-in consent text, the same words for every rater of every study (its "what a
 * person needs" describes the research, not an item), so it is left out of the scan; a study's own text would not be.
 */
function withoutDefaultConsent(body: unknown): unknown {
  const rater = shownConsent(null, 'rater').text;
  if (typeof body !== 'object' || body === null || !('consent' in body)) return body;
  const consent = (body as { consent: { text?: unknown } }).consent;
  return consent.text === rater ? { ...body, consent: { ...consent, text: '' } } : body;
}

async function collectHttp(cookie: string, n: number): Promise<void> {
  const item = received.find((r) => (r.body as Ack<BlindRatingItem>).ok);
  const values: Record<string, string> = {
    studyId,
    problemId: exampleRecord(0).problem_id,
    episodeId: LIVE_EPISODE,
    runId,
    personaId: 'okafor_3fa9c21b',
    itemId: (item?.body as { data?: BlindRatingItem } | undefined)?.data?.itemId ?? 'x',
  };
  const routes = routesOf(t.app.printRoutes({ commonPrefix: false }));
  expect(routes.length).toBeGreaterThan(10);
  for (const route of routes) {
    const url = route.path.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(values[name] ?? 'x'));
    for (const method of route.methods.filter((m) => m === 'GET' || m === 'POST' || m === 'PUT')) {
      if (url === '/api/auth/logout') continue;
      // The OpenAPI document names fields and enum values (model, condition…) of every route: shapes, never data.
      if (url === '/api/openapi.json') continue;
      const res = await t.app.inject({
        method: method as 'GET',
        url,
        headers: { cookie },
        ...(method === 'GET' ? {} : { payload: {} }),
      });
      const body: unknown = String(res.headers['content-type'] ?? '').includes('json') ? res.json() : res.body;
      received.push({ where: `rater ${n} ${method} ${url} → ${res.statusCode}`, body: withoutDefaultConsent(body) });
    }
  }
}

const sourceTimes: string[] = [];

/** Rating payloads carry no time at all; HTTP answers may (a study's creation), but never a source episode's. */
function forbidden(payload: 'rating' | 'http' = 'rating'): Forbidden {
  return {
    words: [
      ...MODES,
      ...USER_TYPES,
      'simulated',
      'simulator',
      'simulation',
      'person',
      'human',
      'oracle',
      'baseline',
      'discovery',
      'scripted',
      'twin',
    ],
    exact: [...MODELS, ...episodeIds, runId, '###', ...sourceTimes],
    patterns: payload === 'rating' ? [/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/] : [],
    keys: [
      'model',
      'models',
      'mode',
      'condition',
      'userType',
      'user_type',
      'userSeat',
      'episodeId',
      'runId',
      'sourceEpisodeId',
      'startedAt',
      'endedAt',
      'at',
      'thought',
      'isGold',
      'gold',
    ],
  };
}

/** The items raters of one study were given (prefix '' for the mixed study, 'dialogues ' for the other). */
function itemsOf(prefix: '' | 'dialogues '): BlindRatingItem[] {
  return received.flatMap((r) =>
    (r.body as Ack<BlindRatingItem>).ok && r.where.startsWith(`${prefix}rater `) && r.where.endsWith('rating:next')
      ? [(r.body as { data: BlindRatingItem }).data]
      : [],
  );
}

/** Each item a rater got, with its class as only the server knows it (gold, the condition, the user seat and type). */
async function classified(
  study: string,
  prefix: '' | 'dialogues ',
  classOf: (episode: EpisodeSummary | null, isGold: boolean) => string,
): Promise<{ cls: string; item: BlindRatingItem }[]> {
  const candidates = (await t.storage.work.progress(study, new Date())).candidates;
  const out: { cls: string; item: BlindRatingItem }[] = [];
  for (const item of itemsOf(prefix)) {
    const candidate = candidates.find((c) => c.itemId === item.itemId);
    const episode = candidate?.sourceEpisodeId ? await t.storage.getEpisode(candidate.sourceEpisodeId) : null;
    out.push({ cls: classOf(episode?.summary ?? null, candidate?.isGold ?? false), item });
  }
  return out;
}

/** Per class, the distinct shapes of its items: blind when every class has the same single shape. */
function shapesByClass(items: { cls: string; item: BlindRatingItem }[]): Record<string, string[]> {
  const byClass: Record<string, Set<string>> = {};
  for (const { cls, item } of items) (byClass[cls] ??= new Set()).add(JSON.stringify(shapeOf(item)));
  return Object.fromEntries(Object.entries(byClass).map(([cls, shapes]) => [cls, [...shapes]]));
}

describe('blinding', () => {
  it('raters received items from every source; the mixed study shows no dialogue, the dialogue study shows every one', () => {
    const items = itemsOf('');
    // 10 answers + 1 gold item for each of the two raters.
    expect(items).toHaveLength(22);
    expect(new Set(items.map((i) => i.itemId)).size).toBe(11);
    expect(items.filter((i) => i.transcript !== undefined)).toEqual([]);
    expect(items.find((i) => i.answer.startsWith('Split the hexagon'))?.answer).toBe(
      'Split the hexagon into 4 triangles: 4 x 180 = 720 degrees.',
    );

    const dialogues = itemsOf('dialogues ');
    // 4 discovery answers of the run, the live session and its twin, for each of the two raters.
    expect(dialogues).toHaveLength(12);
    expect(dialogues.filter((i) => i.transcript === undefined)).toEqual([]);
    const live = dialogues.find((i) => i.answer.startsWith('Split the hexagon'));
    expect(live?.transcript).toEqual([
      { role: 'user', content: 'I need help with the following task: the question' },
      { role: 'assistant', content: 'Do you like drawing the shape first?' },
      { role: 'user', content: 'Yes, pictures help me.' },
    ]);
    expect(live?.answer).toBe('Split the hexagon into 4 triangles: 4 x 180 = 720 degrees.');
    expect(dialogues.find((i) => i.answer === 'Draw it: 720 degrees.')?.transcript?.[2]).toEqual({
      role: 'user',
      content: 'I prefer pictures.',
    });
  });

  it('gold and real answers, and the three conditions, have one shape and transcript lengths that do not tell them apart', async () => {
    const items = await classified(studyId, '', (episode, isGold) => (isGold ? 'gold' : (episode?.mode ?? '?')));
    expect(new Set(items.map((i) => i.cls))).toEqual(new Set(['gold', ...MODES]));
    const shapes = shapesByClass(items);
    const reference = shapes['gold'];
    expect(reference).toHaveLength(1);
    for (const cls of Object.keys(shapes)) expect(shapes[cls], cls).toEqual(reference);
    expect(separatedByLength(items.map(({ cls, item }) => ({ cls, length: item.transcript?.length ?? 0 })))).toEqual(
      [],
    );
  });

  it('in the dialogue study, a person’s answers and the simulator’s (either user type) have one shape and overlapping transcript lengths', async () => {
    const items = await classified(dialogueStudyId, 'dialogues ', (episode) =>
      episode ? `${episode.userSeat}/${episode.userType}` : '?',
    );
    expect(new Set(items.map((i) => i.cls))).toEqual(
      new Set(['person/passive_nostop', 'simulated/passive', 'simulated/collaborative']),
    );
    const shapes = shapesByClass(items);
    const reference = shapes['person/passive_nostop'];
    expect(reference).toHaveLength(1);
    for (const cls of Object.keys(shapes)) expect(shapes[cls], cls).toEqual(reference);
    expect(separatedByLength(items.map(({ cls, item }) => ({ cls, length: item.transcript?.length ?? 0 })))).toEqual(
      [],
    );
  });

  it('the scanner finds every kind of give-away in the source episodes themselves', async () => {
    const live = await t.storage.getEpisode(LIVE_EPISODE);
    const batch = await t.storage.getEpisode(episodeIds[0] ?? '');
    const found = new Set(deepScan([live, batch, runId], forbidden()).map((h) => h.what));
    for (const what of [
      'model-alpha-live',
      'model-beta-13b',
      'judge-omega',
      'person',
      LIVE_EPISODE,
      runId,
      '###',
      'key mode',
      'key at',
    ]) {
      expect(found, what).toContain(what);
    }
  });

  it('nothing a rater received names a model, condition, user type or kind, episode, run or time', () => {
    expect(received.length).toBeGreaterThan(40);
    const hits = received.flatMap((r) =>
      deepScan(r.body, forbidden(r.where.includes(' rating:') ? 'rating' : 'http')).map(
        (h) => `${r.where} ${h.path}: ${h.what} in ${JSON.stringify(h.text).slice(0, 120)}`,
      ),
    );
    expect(hits).toEqual([]);
  });

  it('items for one rater come in a shuffled order of their own, not in source order', async () => {
    const source = (await t.storage.work.progress(studyId, new Date())).candidates
      .filter((c) => !c.isGold)
      .map((c) => c.itemId);
    const order = (n: number) =>
      received
        .filter((r) => r.where === `rater ${n} rating:next` && (r.body as Ack<BlindRatingItem>).ok)
        .map((r) => (r.body as { data: BlindRatingItem }).data.itemId)
        .filter((id) => source.includes(id));
    expect([...order(1)].sort()).toEqual([...source].sort());
    expect(order(1)).not.toEqual(source);
    expect(order(2)).not.toEqual(source);
    expect(order(1)).not.toEqual(order(2));
  });
});
