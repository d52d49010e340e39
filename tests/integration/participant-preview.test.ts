import { join as joinPath } from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParticipantPreviewSchema, type ParticipantPreview } from '../../shared/schemas/api-preview.ts';
import { normalizeProblem } from '../../shared/benchmark/normalize-problem.ts';
import { buildApp } from '../../server/app.ts';
import { openingMessage } from '../../server/engine/opening-message.ts';
import { sha256Hex } from '../../server/services/consent/consent-text.ts';
import { SAMPLE_ANSWER } from '../../server/services/studies/participant-preview.ts';
import type { Storage } from '../../server/storage/storage.ts';
import { joinAs, listenOnce, signInResearcher } from '../support/auth-helpers.ts';
import { exampleRecord } from '../support/records.ts';
import { openSampleStorage } from '../support/sample-storage.ts';
import { T0 } from '../support/study-work-fixtures.ts';
import { tempDir } from '../support/temp-files.ts';
import { grantStudyRole } from '../support/study-roles.ts';

/**
 * The researcher's preview of the participant pages, over real HTTP on a real SQLite file: it shows the study's own
 * consent, screening question, instructions, time estimate, codes and a real record, and it stores nothing at all (every
 * table's row count is the same after previewing both roles many times), in an open study with work waiting.
 */

const dir = tempDir('prefdisco-participant-preview-');
const file = joinPath(dir, 'preview.sqlite');
let app: FastifyInstance;
let storage: Storage;
let url: string;
let researcher: string;
let studyId: string;
let emptyStudyId: string;

const SETTINGS = {
  models: ['scripted'],
  condition: 'no_prompt',
  consentText: 'Actor consent, paragraph one.\n\nParagraph two.',
  raterConsentText: 'Rater consent only.',
  instructions: { actor: 'Play the person as described.', rater: 'Read carefully before scoring.' },
  estimatedMinutes: { actor: 25, rater: 40 },
  screeningQuestion: 'Are you fluent in English?',
  outOfWork: { policy: 'code', waitMinutes: 7 },
  completionCodes: { completed: 'C-DONE', timedOut: 'C-LATE', screenedOut: 'C-SCREEN', noWork: 'C-NOWORK' },
  completionUrls: { completed: 'https://app.prolific.com/submissions/complete?cc=C-DONE' },
};

async function get(path: string, cookie: string | null): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${url}${path}`, cookie ? { headers: { cookie } } : {});
  return { status: res.status, body: await res.json() };
}

async function preview(study: string, role: string): Promise<ParticipantPreview> {
  const res = await get(`/api/studies/${study}/preview/${role}`, researcher);
  expect(res.status).toBe(200);
  return ParticipantPreviewSchema.parse(res.body);
}

/** Every table's row count: a preview that stored anything, anywhere, changes one of them. */
function rowCounts(): Record<string, number> {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .all();
    const counts: Record<string, number> = {};
    for (const { name } of tables) {
      const row = db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM "${name}"`).get();
      counts[name] = row?.n ?? -1;
    }
    return counts;
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  storage = await openSampleStorage(file);
  app = await buildApp({ config: { clientDir: joinPath(dir, 'no-client') }, storage });
  url = await listenOnce(app);
  const signedIn = await signInResearcher({ app, storage });
  researcher = signedIn.cookie;
  const records = [exampleRecord(0), exampleRecord(1)];
  ({ studyId } = await storage.importBenchmark({
    studyName: 'Preview study',
    sourceName: 'b.jsonl',
    sha256: 'preview-study',
    bytes: 1,
    metadata: null,
    records: records.map((record, i) => ({ line: i + 1, task: 'math', record })),
  }));
  await grantStudyRole(storage, studyId, signedIn.researcherId);
  const saved = await app.inject({
    method: 'PUT',
    url: `/api/studies/${studyId}/settings`,
    headers: { cookie: researcher },
    payload: { ...SETTINGS, records: { kind: 'list', problemIds: [records[1]?.problem_id] } },
  });
  expect(saved.statusCode, saved.body).toBe(200);
  // Open, with play units waiting: a real join would take one; the preview must not.
  const opened = await app.inject({
    method: 'POST',
    url: `/api/studies/${studyId}/open`,
    headers: { cookie: researcher },
  });
  expect(opened.statusCode, opened.body).toBe(200);
  emptyStudyId = (await storage.createStudy({ name: 'Preview study without records' })).id;
  await grantStudyRole(storage, emptyStudyId, signedIn.researcherId);
});

afterAll(async () => {
  await app.close();
  await storage.close();
});

describe('researcher preview of the participant pages', () => {
  it("shows the actor's consent, screening, instructions, estimate, ends and the first selected record", async () => {
    const p = await preview(studyId, 'actor');
    expect(p.preview).toBe(true);
    expect(p.study).toEqual({
      role: 'actor',
      consentText: SETTINGS.consentText,
      instructions: SETTINGS.instructions.actor,
      estimatedMinutes: 25,
      status: 'open',
    });
    expect(p.journey).toEqual({
      outcome: null,
      screeningQuestion: SETTINGS.screeningQuestion,
      outOfWork: { policy: 'code', waitMinutes: 7 },
      // After the one previewed play, under the default quota of one play per actor.
      playsLeft: 0,
      participantLanguage: 'en',
      // The text and hash a participant would decide on; the preview records no decision.
      consent: {
        text: SETTINGS.consentText.trim(),
        sha256: sha256Hex(SETTINGS.consentText.trim()),
        decision: null,
        decidedAt: null,
      },
    });
    expect(p.ends).toEqual([
      { outcome: 'completed', completionCode: 'C-DONE', completionUrl: SETTINGS.completionUrls.completed },
      { outcome: 'timed_out', completionCode: 'C-LATE', completionUrl: null },
      { outcome: 'screened_out', completionCode: 'C-SCREEN', completionUrl: null },
    ]);
    // The settings select record 1 only: the preview shows that one, with its persona and hidden preferences.
    const record = exampleRecord(1);
    expect(p.actorTask?.problemId).toBe(record.problem_id);
    expect(p.actorTask?.persona['name']).toBe(record.persona['name']);
    expect(Object.keys(p.actorTask?.preferences ?? {})).toEqual(Object.keys(record.persona_preferences));
    expect(p.actorTask?.rubric).toHaveLength(record.evaluation_rubric.evaluation_criteria.length);
    // The chat opens with the engine's own opening for the record: the task as the model under test receives it.
    expect(p.actorTask?.opening).toBe(openingMessage(normalizeProblem(record)));
    expect(p.ratingItem).toBeNull();
  });

  it("shows the rater's own consent and a sample item built by the blinding code", async () => {
    const p = await preview(studyId, 'rater');
    expect(p.study.consentText).toBe(SETTINGS.raterConsentText);
    expect(p.study.instructions).toBe(SETTINGS.instructions.rater);
    expect(p.study.estimatedMinutes).toBe(40);
    expect(p.ends.map((e) => [e.outcome, e.completionCode])).toEqual([
      ['completed', 'C-DONE'],
      ['failed_attention', null],
      ['no_work', 'C-NOWORK'],
      ['screened_out', 'C-SCREEN'],
    ]);
    expect(p.actorTask).toBeNull();
    const item = p.ratingItem;
    expect(item?.answer).toBe(SAMPLE_ANSWER);
    expect(item?.transcript).toBeUndefined();
    // Blinded as a real item: the persona's bookkeeping id is not among what a rater sees.
    expect(item?.persona['id']).toBeUndefined();
    expect(item?.persona['name']).toBe(exampleRecord(1).persona['name']);
    expect(item?.rubric.map((c) => c.preference)).toEqual(
      exampleRecord(1).evaluation_rubric.evaluation_criteria.map((c) => c.preference),
    );
  });

  it('previews a study without records or settings with the defaults and no sample', async () => {
    const p = await preview(emptyStudyId, 'rater');
    expect(p.study).toEqual({ role: 'rater', consentText: '', instructions: '', estimatedMinutes: 0, status: 'open' });
    expect(p.journey.screeningQuestion).toBe('');
    expect(p.ends.map((e) => e.outcome)).toEqual(['completed', 'failed_attention', 'no_work']);
    expect(p.ends.every((e) => e.completionCode === null && e.completionUrl === null)).toBe(true);
    expect(p.ratingItem).toBeNull();
  });

  it('stores nothing: no participant, lease, episode, rating or outcome, in any table', async () => {
    const before = rowCounts();
    const progressBefore = await storage.work.progress(studyId, T0);
    expect(before['participants']).toBeDefined();
    for (let i = 0; i < 5; i++) {
      await preview(studyId, 'actor');
      await preview(studyId, 'rater');
    }
    expect(rowCounts()).toEqual(before);
    expect(await storage.work.progress(studyId, T0)).toEqual(progressBefore);
  });

  it('is for researchers only, and says what is wrong with a bad address', async () => {
    const path = `/api/studies/${studyId}/preview/actor`;
    expect((await get(path, null)).status).toBe(401);
    const actor = await joinAs({ app, storage }, 'actor', { studyId });
    const nope = await get(path, actor.cookie);
    expect(nope.status).toBe(403);
    expect(JSON.stringify(nope.body)).not.toContain('Actor consent');
    expect((await get('/api/studies/no-such-study/preview/actor', researcher)).status).toBe(404);
    const badRole = await get(`/api/studies/${studyId}/preview/judge`, researcher);
    expect(badRole.status).toBe(400);
    expect(JSON.stringify(badRole.body)).toContain('role');
  });

  it('sends no-store', async () => {
    const res = await fetch(`${url}/api/studies/${studyId}/preview/rater`, { headers: { cookie: researcher } });
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});
