import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StudyResults } from '../../shared/schemas/api-results.ts';
import type { AgreementReport } from '../../shared/schemas/agreement.ts';
import { joinAs, signInResearcher } from '../support/auth-helpers.ts';
import { exampleRecord } from '../support/records.ts';
import { call, episodeLog, startWorkApp, type EpisodeShape, type WorkApp } from '../support/study-work-app.ts';
import { tempDir } from '../support/temp-files.ts';

/**
 * Numbers that rest on the offline test model say so: the results name every model behind them (under test, judge or
 * simulator) that ran on the `scripted` provider — by the provider the episode's provenance recorded, so a test model
 * declared under another name is caught too — and name none for a study run on real models.
 */

const dir = tempDir('prefdisco-test-model-');
let t: WorkApp;
let studyId = '';
let cookie = '';
let actorId = '';

/** A finished live session whose provenance records each seat's provider, as the engine writes it. */
async function storePlayed(id: string, models: { assistant: [string, string]; judge: [string, string] }) {
  const shape: EpisodeShape = {
    id,
    problemId: exampleRecord(0).problem_id,
    personaId: 'okafor_3fa9c21b',
    mode: 'infer_persona',
    userType: 'passive_nostop',
    userSeat: 'person',
    assistantModel: models.assistant[0],
    judgeModel: models.judge[0],
    simulatorModel: null,
    finalAnswer: "###ACTION###: 'final_answer'\n###RESPONSE###: 720 degrees.",
    exchanges: [{ question: "###ACTION###: 'ask_question'\n###RESPONSE###: Pictures?", reply: 'Yes.' }],
  };
  const { summary, events } = episodeLog(shape);
  const [started, ...rest] = events;
  if (started?.type !== 'episode_started') throw new Error('the log starts with episode_started');
  started.provenance.modelSettings = {
    assistant: { provider: models.assistant[1], model: models.assistant[0] },
    judge: { provider: models.judge[1], model: models.judge[0] },
  };
  await t.storage.live.begin({
    summary: { ...summary, status: 'running' },
    studyId,
    participantId: actorId,
    assignmentId: null,
    spec: {},
  });
  for (const event of [started, ...rest]) await t.storage.live.append(id, event);
  await t.storage.live.finish(id, {
    status: 'completed',
    weightedScore: 4,
    correct: 1,
    interactionTurns: 1,
    failure: null,
  });
}

async function testModels(): Promise<string[]> {
  const res = await call(t.app, cookie, 'GET', `/api/studies/${studyId}/results?resamples=20`);
  expect(res.status).toBe(200);
  return (res.body as StudyResults).testModels;
}

async function agreementTestModels(): Promise<string[]> {
  const res = await call(t.app, cookie, 'GET', `/api/studies/${studyId}/agreement?resamples=20`);
  expect(res.status).toBe(200);
  return (res.body as AgreementReport).provenance.testModels;
}

beforeAll(async () => {
  t = await startWorkApp(dir);
  ({ studyId } = await t.storage.importBenchmark({
    studyName: 'Test model notice',
    sourceName: 'n.jsonl',
    sha256: 'notice',
    bytes: 1,
    metadata: null,
    records: [{ line: 1, task: 'math', record: exampleRecord(0) }],
  }));
  cookie = (await signInResearcher(t)).cookie;
  actorId = (await joinAs(t, 'actor', { studyId })).participantId;
});

afterAll(async () => {
  await t.close();
});

describe('numbers from the offline test model', () => {
  it('are named in the results and the agreement report, whichever seat the test model sat in and whatever it was called', async () => {
    await storePlayed('real-1', { assistant: ['model-real', 'openai-compatible'], judge: ['judge-real', 'openai'] });
    expect(await testModels()).toEqual([]);
    expect(await agreementTestModels()).toEqual([]);

    await storePlayed('demo-1', { assistant: ['demo-offline', 'scripted'], judge: ['judge-real', 'openai'] });
    expect(await testModels()).toEqual(['demo-offline']);

    await storePlayed('judged-1', { assistant: ['model-real', 'openai-compatible'], judge: ['scripted', 'scripted'] });
    expect(await testModels()).toEqual(['demo-offline', 'scripted']);
    // The agreement report reads the same provenance from the live episodes it compares.
    expect(await agreementTestModels()).toEqual(['demo-offline', 'scripted']);
  });
});
