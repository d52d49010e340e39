import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ImportedSchema,
  ProblemIdsResponseSchema,
  RecordPageSchema,
  StudiesResponseSchema,
  StudyResponseSchema,
} from '../../shared/schemas/api-studies.ts';
import { ErrorBodySchema } from '../../shared/errors.ts';
import { joinAs, signInResearcher } from '../support/auth-helpers.ts';
import { exampleRecord } from '../support/records.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { tempDir } from '../support/temp-files.ts';

const dir = tempDir();
let t: TestApp;
let cookie: string;

beforeAll(async () => {
  t = await startTestApp(dir);
  cookie = (await signInResearcher(t)).cookie;
});
afterAll(async () => {
  await t.close();
});

const create = (payload: unknown, as: string | null = cookie) =>
  t.app.inject({ method: 'POST', url: '/api/studies', payload: payload as object, headers: as ? { cookie: as } : {} });

describe('POST /api/studies: an empty study made in the browser', () => {
  it('creates an empty, listed study; importing into it by name adds its records to it', async () => {
    const res = await create({ name: '  Pilot 3 ', description: ' A small pilot. ' });
    expect(res.statusCode).toBe(201);
    const { study } = StudyResponseSchema.parse(res.json());
    expect(study).toMatchObject({ name: 'Pilot 3', description: 'A small pilot.' });

    const listed = StudiesResponseSchema.parse(
      (await t.app.inject({ method: 'GET', url: '/api/studies', headers: { cookie } })).json(),
    ).studies.find((s) => s.id === study.id);
    expect(listed).toMatchObject({ name: 'Pilot 3', recordCount: 0, personaCount: 0, fileCount: 0 });

    const file = [exampleRecord(1), exampleRecord(2)].map((r) => JSON.stringify(r)).join('\n') + '\n';
    const imported = await t.app.inject({
      method: 'POST',
      url: `/api/studies/import?study=${encodeURIComponent('Pilot 3')}`,
      payload: file,
      headers: { cookie, 'content-type': 'application/x-ndjson' },
    });
    expect(imported.statusCode, imported.body).toBe(200);
    expect(ImportedSchema.parse(imported.json()).outcome).toMatchObject({
      studyId: study.id,
      studyCreated: false,
      recordsAdded: 2,
    });
    const page = RecordPageSchema.parse(
      (await t.app.inject({ method: 'GET', url: `/api/studies/${study.id}/records`, headers: { cookie } })).json(),
    );
    expect(page.items.map((r) => r.problemId)).toEqual(['problem_1_okafor_3fa9c21b', 'problem_2_okafor_3fa9c21b']);
  });

  it('refuses a taken name (409), a bad name or unknown field (400, saying which field), and stores nothing', async () => {
    const before = (await t.storage.listStudies()).length;
    expect((await create({ name: 'Sample benchmark' })).json()).toMatchObject({
      error: 'conflict',
      message: 'a study named "Sample benchmark" already exists',
    });
    const badName = ErrorBodySchema.parse((await create({ name: '<script>' })).json());
    expect(badName.error).toBe('invalid_payload');
    expect(badName.issues?.map((i) => i.path)).toEqual(['$.name']);
    const empty = ErrorBodySchema.parse((await create({ name: '   ' })).json());
    expect(empty.issues?.[0]?.message).toContain('must not be empty');
    expect((await create({ name: 'Fine', owner: 'x' })).statusCode).toBe(400);
    expect((await create({ name: 'Fine', description: 'x'.repeat(2001) })).statusCode).toBe(400);
    expect((await t.storage.listStudies()).length).toBe(before);
  });

  it('is for researchers only', async () => {
    expect((await create({ name: 'Nobody' }, null)).statusCode).toBe(401);
    const actor = (await joinAs(t, 'actor')).cookie;
    expect((await create({ name: 'By an actor' }, actor)).statusCode).toBe(403);
    expect(await t.storage.findStudyByName('By an actor')).toBeNull();
  });
});

describe('GET /api/studies/:studyId/problem-ids: the settings picker searches ids on the server', () => {
  it('filters by substring (any case), in file order, capped at limit, with the total of matches', async () => {
    const studyId = (await t.storage.findStudyByName('Pilot 3'))?.id ?? '';
    const read = async (query: string) => {
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/studies/${studyId}/problem-ids?${query}`,
        headers: { cookie },
      });
      expect(res.statusCode, res.body).toBe(200);
      return ProblemIdsResponseSchema.parse(res.json());
    };
    expect(await read('')).toEqual({ total: 2, ids: ['problem_1_okafor_3fa9c21b', 'problem_2_okafor_3fa9c21b'] });
    expect(await read('q=PROBLEM_2')).toEqual({ total: 1, ids: ['problem_2_okafor_3fa9c21b'] });
    expect(await read('q=okafor&limit=1')).toEqual({ total: 2, ids: ['problem_1_okafor_3fa9c21b'] });
    expect(await read('q=nothing-like-this')).toEqual({ total: 0, ids: [] });
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/studies/nope/problem-ids', headers: { cookie } })).json(),
    ).toMatchObject({ error: 'not_found' });
  });
});
