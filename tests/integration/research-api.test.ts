import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EpisodeEvent, NewEpisodeEvent } from '../../shared/schemas/episode.ts';
import type { RunInfo } from '../../shared/schemas/research.ts';
import { LiveStudySettingsSchema } from '../../shared/schemas/live-study.ts';
import { buildApp } from '../../server/app.ts';
import {
  ModelCallError,
  type ModelProvider,
  type ModelRequest,
  type ModelResponse,
} from '../../server/models/model-provider.ts';
import { SCRIPTED_MODEL } from '../../server/models/model-registry.ts';
import { ScriptedProvider } from '../../server/models/scripted/scripted-provider.ts';
import { importUpload } from '../../server/services/research/import-upload.ts';
import type { ModelLookup } from '../../server/services/research/run-options.ts';
import { joinAs, signInResearcher, type AppUnderTest } from '../support/auth-helpers.ts';
import { exampleRecord } from '../support/records.ts';
import { jsonl, tempDir } from '../support/temp-files.ts';
import { openSampleStorage } from '../support/sample-storage.ts';

const dir = tempDir('prefdisco-research-');

/** The scripted model, each call `delayMs` later (and cancellable): a batch run slow enough to stop midway. */
class DelayedProvider implements ModelProvider {
  readonly isTestModel = true;
  constructor(
    private readonly inner: ModelProvider,
    private readonly delayMs: number,
  ) {}
  get config(): ModelProvider['config'] {
    return { ...this.inner.config, name: 'slow-scripted' };
  }
  async complete(request: ModelRequest): Promise<ModelResponse> {
    try {
      await sleep(this.delayMs, undefined, request.signal ? { signal: request.signal } : {});
    } catch {
      throw new ModelCallError('aborted', 'call aborted', 1);
    }
    return this.inner.complete(request);
  }
}

interface ResearchApp extends AppUnderTest {
  sampleId: string;
  runsDir: string;
  close(): Promise<void>;
}

let apps = 0;
async function startResearchApp(): Promise<ResearchApp> {
  const n = ++apps;
  const storage = await openSampleStorage(join(dir, `research-${n}.sqlite`));
  const scripted = new ScriptedProvider(SCRIPTED_MODEL);
  const slow = new DelayedProvider(scripted, 15);
  const models: ModelLookup = {
    names: () => ['scripted', 'slow-scripted'],
    get: (name) => (name === 'slow-scripted' ? slow : scripted),
  };
  const runsDir = join(dir, `runs-${n}`);
  const app = await buildApp({ config: { clientDir: join(dir, 'no-client'), runsDir }, storage, models });
  const sampleId = (await storage.findStudyByName('Sample benchmark'))?.id ?? '';
  return {
    app,
    storage,
    sampleId,
    runsDir,
    close: async () => {
      await app.close();
      await storage.close();
    },
  };
}

/** RFC 4180, strictly: rows end with CRLF and a line break inside a cell must be quoted, else this throws. */
function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else if (c === '\n' || c === '\r') throw new Error(`unquoted line break in row ${rows.length + 1}`);
    else cell += c;
  }
  if (cell !== '' || row.length > 0) throw new Error('CSV does not end with CRLF');
  const [header, ...body] = rows;
  return body.map((r) => {
    if (r.length !== header?.length) throw new Error(`row has ${r.length} cells, header ${header?.length}`);
    return Object.fromEntries(header.map((h, i) => [h, r[i] ?? '']));
  });
}

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

let t: ResearchApp;
let cookie: string;
let actorCookie: string;

async function call(
  method: 'GET' | 'POST',
  url: string,
  payload?: Record<string, unknown>,
  as: string | null = cookie,
) {
  return t.app.inject({
    method,
    url,
    ...(payload === undefined ? {} : { payload }),
    ...(as ? { headers: { cookie: as } } : {}),
  });
}

async function upload(study: string, body: string, contentType = 'application/x-ndjson', as: string | null = cookie) {
  return t.app.inject({
    method: 'POST',
    url: `/api/studies/import?study=${encodeURIComponent(study)}`,
    payload: body,
    headers: { 'content-type': contentType, ...(as ? { cookie: as } : {}) },
  });
}

async function runUntil(runId: string, done: (run: RunInfo) => boolean, ms = 20_000): Promise<RunInfo> {
  const started = Date.now();
  for (;;) {
    const run = (await call('GET', `/api/runs/${runId}`)).json<{ run: RunInfo }>().run;
    if (done(run)) return run;
    if (Date.now() - started > ms)
      throw new Error(`run ${runId} still ${run.status} after ${ms} ms: ${JSON.stringify(run.progress)}`);
    await sleep(25);
  }
}

beforeAll(async () => {
  t = await startResearchApp();
  cookie = (await signInResearcher(t)).cookie;
  actorCookie = (await joinAs(t, 'actor', { studyId: t.sampleId })).cookie;
});
afterAll(async () => {
  await t.close();
});

describe('imports', () => {
  const good = jsonl([
    { type: 'metadata', dataset: 'HuggingFaceH4/MATH-500' },
    exampleRecord(0),
    exampleRecord(1),
    exampleRecord(2),
  ]);

  it('imports a valid file into a new study, and the same file again changes nothing', async () => {
    const first = await upload('Uploaded study', good);
    expect(first.statusCode).toBe(200);
    const outcome = first.json<{
      outcome: { studyId: string; studyCreated: boolean; recordsAdded: number; alreadyImported: boolean };
    }>().outcome;
    expect(outcome).toMatchObject({ studyCreated: true, recordsAdded: 3, alreadyImported: false });
    const records = (await call('GET', `/api/studies/${outcome.studyId}/records`)).json<{
      total: number;
      items: { problemId: string; task: string }[];
    }>();
    expect(records.total).toBe(3);
    expect(records.items.map((r) => r.task)).toEqual(['math', 'math', 'math']);

    const again = await upload('Uploaded study', good, 'text/plain');
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({
      outcome: {
        studyId: outcome.studyId,
        studyCreated: false,
        alreadyImported: true,
        recordsAdded: 0,
        recordsUnchanged: 3,
      },
    });
    expect((await t.storage.listStudies()).filter((s) => s.name === 'Uploaded study')).toHaveLength(1);
  });

  it('refuses an invalid file with 422, listing issues with line numbers, and stores nothing', async () => {
    const broken = { ...exampleRecord(4), persona_preferences: 'not an object' };
    const body = `${JSON.stringify(exampleRecord(3))}\n{"type": "personalized_problem", \n${JSON.stringify(broken)}\n`;
    const studiesBefore = (await t.storage.listStudies()).length;
    const res = await upload('Never created', body, 'application/jsonl');
    expect(res.statusCode).toBe(422);
    // The refusal is an ErrorBody; the validation report is its `details`.
    const refusal = res.json<{
      error: string;
      details: { errorCount: number; issues: { line: number; code: string; path: string }[] };
    }>();
    expect(refusal.error).toBe('invalid_file');
    const report = refusal.details;
    expect(report.issues.map((i) => i.line)).toContain(2);
    expect(report.issues.find((i) => i.line === 2)?.code).toBe('invalid_json');
    expect(report.issues.find((i) => i.line === 3)?.path).toMatch(/^\$\.persona_preferences/);
    expect(report.issues.some((i) => i.line === 1)).toBe(false);
    expect(await t.storage.findStudyByName('Never created')).toBeNull();
    expect((await t.storage.listStudies()).length).toBe(studiesBefore);
  });

  it('lists at most 500 issues but counts them all; bad query and media type are named', async () => {
    const res = await upload('Many errors', '{\n'.repeat(620));
    expect(res.statusCode).toBe(422);
    const report = res.json<{ details: { errorCount: number; issues: unknown[] } }>().details;
    expect(report.errorCount).toBeGreaterThanOrEqual(620);
    expect(report.issues).toHaveLength(500);

    const noStudy = await t.app.inject({
      method: 'POST',
      url: '/api/studies/import',
      payload: good,
      headers: { 'content-type': 'text/plain', cookie },
    });
    expect(noStudy.statusCode).toBe(400);
    expect(noStudy.json<{ issues: { path: string }[] }>().issues[0]?.path).toBe('$.study');
    const asJson = await upload('Json body', JSON.stringify({ a: 1 }), 'application/json');
    expect(asJson.statusCode).toBe(415);
    const declaredTooLarge = await t.app.inject({
      method: 'POST',
      url: '/api/studies/import?study=Huge',
      payload: 'x',
      headers: { 'content-type': 'text/plain', 'content-length': String(513 * 1024 * 1024), cookie },
    });
    expect([declaredTooLarge.statusCode, declaredTooLarge.json<{ error: string }>().error]).toEqual([
      413,
      'payload_too_large',
    ]);
  });
});

describe('upload limits', () => {
  const tempImports = (): number => readdirSync(tmpdir()).filter((f) => f.startsWith('prefdisco-import-')).length;

  it('stops an upload past the size limit or broken off, stores nothing and leaves no temporary file', async () => {
    const before = tempImports();
    const big = Readable.from([Buffer.alloc(600, 'x'), Buffer.alloc(600, 'x')]);
    await expect(
      importUpload(t.storage, big, { study: 'Too big', skipImages: false, limit: 1000 }),
    ).rejects.toMatchObject({ code: 'payload_too_large', message: 'the file is larger than 1000 bytes' });
    const broken = new Readable({
      read() {
        this.destroy(new Error('socket hang up'));
      },
    });
    await expect(importUpload(t.storage, broken, { study: 'Broken', skipImages: false })).rejects.toMatchObject({
      code: 'upload_failed',
      message: 'the upload did not complete; nothing was imported',
    });
    expect(tempImports()).toBe(before);
    expect(await t.storage.findStudyByName('Too big')).toBeNull();
    expect(await t.storage.findStudyByName('Broken')).toBeNull();
  });
});

describe('batch runs, results and exports', () => {
  let runId = '';
  let liveEpisodeId = '';

  it('runs the sample study in the background to completion, with progress', async () => {
    const unknown = await call('POST', `/api/studies/${t.sampleId}/runs`, { model: 'gpt-nope', judge: 'scripted' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({
      error: 'unknown_model',
      details: { model: 'gpt-nope', declared: ['scripted', 'slow-scripted'] },
    });
    const badBody = await call('POST', `/api/studies/${t.sampleId}/runs`, {
      model: 'scripted',
      judge: 'scripted',
      maxTurns: 0,
    });
    expect(badBody.statusCode).toBe(400);
    expect(badBody.json<{ issues: { path: string }[] }>().issues[0]?.path).toBe('$.maxTurns');

    const started = await call('POST', `/api/studies/${t.sampleId}/runs`, {
      model: 'scripted',
      judge: 'scripted',
      maxProblems: 4,
      seed: 7,
    });
    expect(started.statusCode).toBe(202);
    runId = started.json<{ runId: string }>().runId;
    const run = await runUntil(runId, (r) => r.status !== 'running');
    expect(run.status).toBe('completed');
    expect(run.progress).toMatchObject({ total: 12, done: 12, failed: 0, skipped: 0, running: 0, costUsd: 0 });
    expect(run.progress?.calls).toBeGreaterThan(12);
    expect(run.progress?.inputTokens).toBeGreaterThan(0);
    expect(existsSync(join(t.runsDir, `${runId}.jsonl`))).toBe(true);
    const listed = (await call('GET', `/api/studies/${t.sampleId}/runs`)).json<{ runs: RunInfo[] }>().runs;
    expect(listed.map((r) => r.id)).toEqual([runId]);
    // What the browser sees never includes server paths.
    expect(JSON.stringify(listed)).not.toContain(t.runsDir);
  });

  it('lists a run’s episodes a page at a time', async () => {
    const page = (await call('GET', `/api/runs/${runId}/episodes?limit=5`)).json<{
      total: number;
      episodes: { runId: string; status: string }[];
    }>();
    expect(page.total).toBe(12);
    expect(page.episodes).toHaveLength(5);
    expect(page.episodes.every((e) => e.runId === runId && e.status === 'completed')).toBe(true);
    expect(
      (await call('GET', `/api/runs/${runId}/episodes?offset=10&limit=5`)).json<{ episodes: unknown[] }>().episodes,
    ).toHaveLength(2);
    expect((await call('GET', '/api/runs/nope/episodes')).statusCode).toBe(404);
    expect((await call('GET', `/api/runs/${runId}/episodes?limit=0`)).statusCode).toBe(400);
  });

  it('serves the run results file in the reference format', async () => {
    const res = await call('GET', `/api/runs/${runId}/results.jsonl`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename=/);
    const lines = jsonLines(res.body);
    expect(lines).toHaveLength(12);
    expect(new Set(lines.map((l) => `${String(l.mode)}/${String(l.user_type)}`))).toEqual(
      new Set(['no_prompt/no_user_interaction', 'persona_known/no_user_interaction', 'infer_persona/passive_nostop']),
    );
    expect(new Set(lines.map((l) => l.problem_id)).size).toBe(4);
  });

  it('lists and shows live episodes with their full event log', async () => {
    liveEpisodeId = await storeLiveEpisode(t);
    const list = await call('GET', `/api/studies/${t.sampleId}/live-episodes?status=completed`);
    expect(list.json<{ episodes: { id: string; userSeat: string }[] }>().episodes.map((e) => e.id)).toEqual([
      liveEpisodeId,
    ]);
    expect(
      (await call('GET', `/api/studies/${t.sampleId}/live-episodes?status=running`)).json<{ episodes: unknown[] }>()
        .episodes,
    ).toEqual([]);
    expect((await call('GET', `/api/studies/${t.sampleId}/live-episodes?status=bogus`)).statusCode).toBe(400);
    // A page of the list, with how many the filter matches in all.
    expect(list.json<{ total: number }>().total).toBe(1);
    const past = (await call('GET', `/api/studies/${t.sampleId}/live-episodes?offset=1&limit=25`)).json<{
      total: number;
      episodes: unknown[];
    }>();
    expect(past).toEqual({ total: 1, episodes: [] });
    expect((await call('GET', `/api/studies/${t.sampleId}/live-episodes?limit=0`)).statusCode).toBe(400);
    expect((await call('GET', `/api/studies/${t.sampleId}/live-episodes?limit=1001`)).statusCode).toBe(400);
    const one = (await call('GET', `/api/episodes/${liveEpisodeId}`)).json<{
      summary: { status: string };
      live: { participantId: string } | null;
      events: EpisodeEvent[];
    }>();
    expect(one.summary.status).toBe('completed');
    expect(one.live?.participantId).toBeTruthy();
    expect(one.events.map((e) => e.type)).toEqual([
      'message',
      'message',
      'twin_reply',
      'message',
      'disclosure_labeled',
      'message',
    ]);
    expect((await call('GET', '/api/episodes/nope')).statusCode).toBe(404);
  });

  it('computes the study results over batch and live episodes', async () => {
    const res = await call('GET', `/api/studies/${t.sampleId}/results?resamples=50`);
    expect(res.statusCode).toBe(200);
    const body = res.json<{
      episodes: Record<string, Record<string, number>>;
      failed: number;
      metrics: {
        inputRows: number;
        groups: {
          model: string;
          task: string;
          records: number;
          conditions: { condition: string; userType: string; n: number }[];
        }[];
      };
    }>();
    expect(body.episodes.batch).toEqual({ running: 0, completed: 12, failed: 0, aborted: 0 });
    expect(body.episodes.live).toEqual({ running: 0, completed: 1, failed: 0, aborted: 0 });
    expect(body.failed).toBe(0);
    expect(body).toMatchObject({ testModels: ['scripted'] });
    expect(body.metrics.inputRows).toBe(13);
    const pooled = body.metrics.groups.find((g) => g.model === 'scripted' && g.task === '*');
    const n = (condition: string, userType: string) =>
      pooled?.conditions.find((c) => c.condition === condition && c.userType === userType)?.n;
    expect(n('baseline', 'no_user_interaction')).toBe(4);
    expect(n('discovery', 'passive_nostop')).toBe(4);
    expect(n('discovery', 'human')).toBe(1);
  });

  it('exports episodes and messages as JSONL and CSV with the same rows', async () => {
    const episodesJsonl = await call('GET', `/api/studies/${t.sampleId}/export/episodes.jsonl`);
    expect(episodesJsonl.statusCode).toBe(200);
    expect(episodesJsonl.headers['content-disposition']).toBe('attachment; filename="Sample-benchmark-episodes.jsonl"');
    expect(episodesJsonl.headers['cache-control']).toBe('no-store');
    const episodes = jsonLines(episodesJsonl.body);
    expect(episodes).toHaveLength(13);
    expect(episodes.filter((e) => e.source === 'batch' && e.run_id === runId)).toHaveLength(12);
    const episodesCsv = await call('GET', `/api/studies/${t.sampleId}/export/episodes.csv`);
    expect(episodesCsv.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    const csvRows = parseCsv(episodesCsv.body);
    expect(csvRows.map((r) => r.episode_id)).toEqual(episodes.map((e) => e.episode_id));
    expect(csvRows.find((r) => r.episode_id === liveEpisodeId)).toMatchObject({
      source: 'live',
      user_seat: 'person',
      weighted_score: '4',
      correct: '1',
    });

    let messageEvents = 0;
    for (const e of episodes)
      messageEvents +=
        (await t.storage.getEpisode(String(e.episode_id)))?.events.filter((ev) => ev.type === 'message').length ?? 0;
    const messages = jsonLines((await call('GET', `/api/studies/${t.sampleId}/export/messages.jsonl`)).body);
    // every message event, plus the one twin reply recorded inside the live episode
    expect(messages).toHaveLength(messageEvents + 1);
    expect(parseCsv((await call('GET', `/api/studies/${t.sampleId}/export/messages.csv`)).body)).toHaveLength(
      messageEvents + 1,
    );
  });

  it('quotes commas, quotes and newlines (RFC 4180) and defuses formulas in CSV, not in JSONL', async () => {
    const csv = (await call('GET', `/api/studies/${t.sampleId}/export/messages.csv`)).body;
    expect(csv).toContain('"He said ""hi"", then\nleft, twice"');
    const rows = parseCsv(csv).filter((r) => r.episode_id === liveEpisodeId);
    expect(rows.map((r) => [r.seq, r.role, r.kind, r.twin])).toEqual([
      ['1', 'assistant', 'opening', 'false'],
      ['2', 'assistant', 'question', 'false'],
      ['3', 'user', 'twin_reply', 'true'],
      ['4', 'user', 'reply', 'false'],
      ['6', 'assistant', 'final_answer', 'false'],
    ]);
    expect(rows[0]?.content).toBe('I need help with the following task: add\nA. one\nB. two');
    expect(rows[1]?.content).toBe('He said "hi", then\nleft, twice');
    expect(rows[3]?.content).toBe(`'=HYPERLINK("http://evil.example","click")`);
    expect(rows[4]?.content).toBe("'-2+3 is the answer");
    const jsonlRows = jsonLines((await call('GET', `/api/studies/${t.sampleId}/export/messages.jsonl`)).body).filter(
      (r) => r.episode_id === liveEpisodeId,
    );
    expect(jsonlRows[3]?.content).toBe('=HYPERLINK("http://evil.example","click")');
  });

  it('exports disclosures with their source, and ratings', async () => {
    const disclosures = jsonLines((await call('GET', `/api/studies/${t.sampleId}/export/disclosures.jsonl`)).body);
    const batchLabels = disclosures.filter((d) => d.source === 'batch');
    expect(batchLabels.length).toBeGreaterThan(0);
    const live = disclosures.filter((d) => d.episode_id === liveEpisodeId);
    expect(live).toEqual([
      {
        episode_id: liveEpisodeId,
        seq: 3,
        turn: 1,
        event: 'twin_reply',
        source: 'simulated',
        asked: ['Notation Density'],
        revealed: [],
      },
      {
        episode_id: liveEpisodeId,
        seq: 5,
        turn: 1,
        event: 'disclosure_labeled',
        source: 'human',
        asked: ['Notation Density'],
        revealed: [{ preference: 'Notation Density', value: 'low, please' }],
      },
    ]);
    const csvLive = parseCsv((await call('GET', `/api/studies/${t.sampleId}/export/disclosures.csv`)).body).filter(
      (d) => d.episode_id === liveEpisodeId,
    );
    expect(csvLive[1]?.revealed).toBe('[{"preference":"Notation Density","value":"low, please"}]');

    await storeRating(t, liveEpisodeId);
    const ratings = parseCsv((await call('GET', `/api/studies/${t.sampleId}/export/ratings.csv`)).body);
    expect(ratings).toHaveLength(1);
    expect(ratings[0]).toMatchObject({
      source_episode_id: liveEpisodeId,
      correct: '1',
      is_gold: 'false',
      justification: '\'@SUM(A1), "fine"',
    });
    expect(jsonLines((await call('GET', `/api/studies/${t.sampleId}/export/ratings.jsonl`)).body)[0]).toMatchObject({
      scores: { 'Notation Density': 4 },
    });
    expect((await call('GET', `/api/studies/${t.sampleId}/export/ratings.xlsx`)).statusCode).toBe(400);
    expect((await call('GET', '/api/studies/nope/export/ratings.csv')).statusCode).toBe(404);
  });

  it('sends a run’s answers in the chosen conditions to the raters, once', async () => {
    const url = `/api/studies/${t.sampleId}/rating-candidates`;
    const candidates = async () =>
      (await call('GET', `/api/studies/${t.sampleId}/assignments`)).json<{ candidates: unknown[] }>().candidates.length;
    const before = await candidates();
    expect((await call('POST', url, { runId, modes: ['infer_persona'] })).json()).toEqual({ added: 4, unchanged: 0 });
    expect((await call('POST', url, { runId, modes: ['infer_persona', 'no_prompt'] })).json()).toEqual({
      added: 4,
      unchanged: 4,
    });
    expect(await candidates()).toBe(before + 8);
    expect((await call('POST', url, { runId: 'no-such-run', modes: ['no_prompt'] })).statusCode).toBe(404);
    const badMode = await call('POST', url, { runId, modes: ['sideways'] });
    expect(badMode.statusCode).toBe(400);
    expect((await call('POST', url, { runId, modes: ['no_prompt'] }, actorCookie)).statusCode).toBe(403);
  });
});

describe('cancelling and resuming', () => {
  it('cancels a run midway (interrupted), refuses a duplicate while running, and resumes from its results file', async () => {
    const options = { model: 'slow-scripted', judge: 'scripted', maxProblems: 20, seed: 3, concurrency: 2 };
    const first = (await call('POST', `/api/studies/${t.sampleId}/runs`, options)).json<{ runId: string }>().runId;
    const duplicate = await call('POST', `/api/studies/${t.sampleId}/runs`, options);
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json()).toMatchObject({ error: 'run_in_progress', details: { runId: first } });
    await runUntil(first, (r) => (r.progress?.done ?? 0) >= 2);

    const cancelled = await call('POST', `/api/runs/${first}/cancel`);
    expect(cancelled.statusCode).toBe(200);
    const run = cancelled.json<{ run: RunInfo }>().run;
    expect(run.status).toBe('interrupted');
    expect(run.progress?.total).toBe(60);
    const doneBefore = run.progress?.done ?? 0;
    expect(doneBefore).toBeGreaterThanOrEqual(2);
    expect(doneBefore).toBeLessThan(60);
    expect((await t.storage.research.getRun(first))?.status).toBe('interrupted');
    expect((await call('POST', `/api/runs/${first}/cancel`)).statusCode).toBe(409);

    const again = await call('POST', `/api/studies/${t.sampleId}/runs`, { ...options, concurrency: 8 });
    expect(again.json()).toMatchObject({ resumedFrom: first });
    const second = again.json<{ runId: string }>().runId;
    const resumed = await runUntil(second, (r) => r.progress !== null && r.progress.skipped > 0);
    expect(resumed.progress?.skipped).toBe(doneBefore);
    await call('POST', `/api/runs/${second}/cancel`);
  });

  it('closing the app interrupts a running run and stores its progress', async () => {
    const other = await startResearchApp();
    const researcher = await signInResearcher(other);
    const started = await other.app.inject({
      method: 'POST',
      url: `/api/studies/${other.sampleId}/runs`,
      headers: { cookie: researcher.cookie },
      payload: { model: 'slow-scripted', judge: 'scripted', concurrency: 1 },
    });
    const runId = started.json<{ runId: string }>().runId;
    await sleep(100);
    await other.app.close();
    const stored = await other.storage.research.getRun(runId);
    expect(stored?.status).toBe('interrupted');
    expect(stored?.progress?.total).toBe(192);
    await other.storage.close();
  });
});

describe('declared models', () => {
  it("lists the declared model names for the researcher's forms", async () => {
    const res = await call('GET', '/api/models');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      models: [
        { name: 'scripted', available: true },
        { name: 'slow-scripted', available: true },
      ],
    });
  });
});

describe('who may call', () => {
  const routes = (studyId: string): [string, string][] => [
    ['GET', '/api/models'],
    ['POST', '/api/studies/import?study=x'],
    ['POST', `/api/studies/${studyId}/runs`],
    ['GET', `/api/studies/${studyId}/runs`],
    ['GET', '/api/runs/r1'],
    ['POST', '/api/runs/r1/cancel'],
    ['GET', '/api/runs/r1/results.jsonl'],
    ['GET', `/api/studies/${studyId}/live-episodes`],
    ['GET', '/api/episodes/e1'],
    ['GET', `/api/studies/${studyId}/results`],
    ...['episodes', 'messages', 'ratings', 'disclosures'].flatMap((table) =>
      ['jsonl', 'csv'].map((f): [string, string] => ['GET', `/api/studies/${studyId}/export/${table}.${f}`]),
    ),
  ];

  it('refuses nobody (401) and participants (403) on every researcher route', async () => {
    for (const [method, url] of routes(t.sampleId)) {
      const headers = {
        'content-type': method === 'POST' && url.includes('import') ? 'text/plain' : 'application/json',
      };
      const payload = method === 'POST' ? (url.includes('import') ? 'x' : '{}') : undefined;
      const nobody = await t.app.inject({ method: method as 'GET', url, headers, ...(payload ? { payload } : {}) });
      expect([url, nobody.statusCode, nobody.json<{ error: string }>().error]).toEqual([url, 401, 'unauthenticated']);
      const actor = await t.app.inject({
        method: method as 'GET',
        url,
        headers: { ...headers, cookie: actorCookie },
        ...(payload ? { payload } : {}),
      });
      expect([url, actor.statusCode, actor.json<{ error: string }>().error]).toEqual([url, 403, 'forbidden']);
    }
  });
});

/** A finished live episode a person played in the sample study, with a twin reply, a disclosure label and CSV traps. */
async function storeLiveEpisode(app: ResearchApp): Promise<string> {
  const { participant } = await app.storage.people.findOrCreateParticipant({
    studyId: app.sampleId,
    role: 'actor',
    prolific: {},
  });
  const record = (await app.storage.research.listStudyRecords(app.sampleId))[0];
  const id = `live-${Date.now()}`;
  const at = new Date().toISOString();
  await app.storage.live.begin({
    studyId: app.sampleId,
    participantId: participant.id,
    assignmentId: null,
    spec: { maxTurns: 5 },
    summary: {
      id,
      runId: null,
      problemId: record?.problemId ?? '',
      personaId: record?.record.persona.id ?? '',
      mode: 'infer_persona',
      userType: 'passive_nostop',
      userSeat: 'person',
      status: 'running',
      weightedScore: null,
      correct: null,
      interactionTurns: null,
      assistantModel: 'scripted',
      judgeModel: 'scripted',
      simulatorModel: 'scripted',
      failure: null,
      startedAt: at,
      endedAt: null,
    },
  });
  const events: NewEpisodeEvent[] = [
    {
      type: 'message',
      role: 'assistant',
      kind: 'opening',
      turn: 0,
      content: 'I need help with the following task: add\nA. one\nB. two',
    },
    { type: 'message', role: 'assistant', kind: 'question', turn: 1, content: 'He said "hi", then\nleft, twice' },
    { type: 'twin_reply', turn: 1, response: 'simulated answer', asked: ['Notation Density'], revealed: [] },
    {
      type: 'message',
      role: 'user',
      kind: 'reply',
      turn: 1,
      content: '=HYPERLINK("http://evil.example","click")',
      clientMessageId: 'c1',
    },
    {
      type: 'disclosure_labeled',
      turn: 1,
      asked: ['Notation Density'],
      revealed: [{ preference: 'Notation Density', value: 'low, please' }],
    },
    { type: 'message', role: 'assistant', kind: 'final_answer', turn: 1, content: '-2+3 is the answer' },
  ];
  let seq = 1;
  for (const event of events) await app.storage.live.append(id, { ...event, seq: seq++, at } as EpisodeEvent);
  await app.storage.live.finish(id, {
    status: 'completed',
    weightedScore: 4,
    correct: 1,
    interactionTurns: 1,
    failure: null,
  });
  return id;
}

async function storeRating(app: ResearchApp, episodeId: string): Promise<void> {
  const now = new Date();
  const episode = await app.storage.getEpisode(episodeId);
  await app.storage.work.saveSettings(
    app.sampleId,
    LiveStudySettingsSchema.parse({ status: 'open', models: ['scripted'], raterOverlap: 1 }),
    now,
  );
  await app.storage.work.addRatingCandidates(
    app.sampleId,
    [
      {
        problemId: episode?.summary.problemId ?? '',
        sourceEpisodeId: episodeId,
        sourceParticipantId: null,
        answer: 'an answer',
        transcript: null,
        gold: null,
      },
    ],
    now,
  );
  const { participant } = await app.storage.people.findOrCreateParticipant({
    studyId: app.sampleId,
    role: 'rater',
    prolific: {},
  });
  const claim = await app.storage.work.leaseNextRating(app.sampleId, participant.id, now, () => 0.999);
  if (claim.kind !== 'leased') throw new Error(`no rating lease: ${claim.reason}`);
  await app.storage.work.submitRating({
    studyId: app.sampleId,
    participantId: participant.id,
    itemId: claim.lease.itemId,
    scores: { 'Notation Density': 4 },
    correct: 1,
    justification: '@SUM(A1), "fine"',
    secondsSpent: 12,
    attentionPassed: null,
    now,
  });
}
