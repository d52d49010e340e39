import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StudyResults } from '../../shared/schemas/api-results.ts';
import type { Mode, UserType } from '../../shared/schemas/evaluation.ts';
import { joinAs, signInResearcher } from '../support/auth-helpers.ts';
import { exampleRecord } from '../support/records.ts';
import { call, episodeLog, startWorkApp, storeLiveEpisode, type WorkApp } from '../support/study-work-app.ts';
import { tempDir } from '../support/temp-files.ts';

/**
 * Results compare like with like: a batch run over five records and people playing two of them give rows over
 * different records; the results say how many each covers and, with `?sameRecords=true`, compute every row over the
 * records common to all rows. Real SQLite file, real HTTP requests.
 */

const dir = tempDir('prefdisco-same-records-');
let t: WorkApp;
let studyId = '';
let cookie = '';
let actorId = '';
const RUN = 'run-same-records';
const problem = (i: number): string => exampleRecord(i).problem_id;
/** Batch baseline scores per record: records 0 and 1 score low, the others high, so restricting moves the mean. */
const BASELINE = [2, 2, 5, 5, 5];
const ORACLE = [4, 4, 5, 5, 5];
const DISCOVERY = [3, 3, 4, 4, 4];

async function storeBatch(i: number, mode: Mode, userType: UserType, score: number): Promise<void> {
  const { summary, events } = episodeLog({
    id: `batch-${mode}-${i}`,
    problemId: problem(i),
    personaId: 'okafor_3fa9c21b',
    mode,
    userType,
    userSeat: mode === 'infer_persona' ? 'simulated' : 'none',
    assistantModel: 'model-a',
    judgeModel: 'judge-a',
    simulatorModel: mode === 'infer_persona' ? 'judge-a' : null,
    runId: RUN,
    finalAnswer: "###ACTION###: 'final_answer'\n###RESPONSE###: 720 degrees.",
  });
  const completed = events.at(-1);
  if (completed?.type !== 'episode_completed') throw new Error('the log ends with episode_completed');
  completed.weightedScore = score;
  await t.storage.saveEpisode({ ...summary, weightedScore: score }, events);
}

async function storeHuman(id: string, i: number): Promise<void> {
  await storeLiveEpisode(
    t.storage,
    {
      id,
      problemId: problem(i),
      personaId: 'okafor_3fa9c21b',
      mode: 'infer_persona',
      userType: 'passive_nostop',
      userSeat: 'person',
      assistantModel: 'model-a',
      judgeModel: 'judge-a',
      simulatorModel: 'judge-a',
      finalAnswer: "###ACTION###: 'final_answer'\n###RESPONSE###: 720 degrees.",
      exchanges: [{ question: "###ACTION###: 'ask_question'\n###RESPONSE###: Pictures?", reply: 'Yes.' }],
    },
    studyId,
    actorId,
  );
}

async function results(query: string): Promise<StudyResults> {
  const res = await call(t.app, cookie, 'GET', `/api/studies/${studyId}/results?resamples=50${query}`);
  expect(res.status).toBe(200);
  return res.body as StudyResults;
}

type Condition = StudyResults['metrics']['groups'][number]['conditions'][number];

function condition(r: StudyResults, name: Condition['condition'], userType: string): Condition {
  const pooled = r.metrics.groups.find((g) => g.model === 'model-a' && g.task === '*');
  const found = pooled?.conditions.find((c) => c.condition === name && c.userType === userType);
  if (!found) throw new Error(`no ${name} ${userType} row`);
  return found;
}

function rowCoverage(r: StudyResults, name: Condition['condition'], userType: string) {
  return r.coverage.rows.find(
    (c) => c.model === 'model-a' && c.task === '*' && c.condition === name && c.userType === userType,
  );
}

beforeAll(async () => {
  t = await startWorkApp(dir);
  ({ studyId } = await t.storage.importBenchmark({
    studyName: 'Same records',
    sourceName: 's.jsonl',
    sha256: 'same-records',
    bytes: 1,
    metadata: null,
    records: [0, 1, 2, 3, 4].map((i) => ({ line: i + 1, task: 'math', record: exampleRecord(i) })),
  }));
  cookie = (await signInResearcher(t)).cookie;
  actorId = (await joinAs(t, 'actor', { studyId })).participantId;
  await t.storage.research.createStudyRun({
    id: RUN,
    studyId,
    benchmarkSha256: 'same-records',
    outPath: `${dir}/run.jsonl`,
    options: {
      model: 'model-a',
      judge: 'judge-a',
      simulator: 'judge-a',
      modes: ['no_prompt', 'persona_known', 'infer_persona'],
      userTypes: ['passive_nostop'],
      maxTurns: 5,
      fixedQuestions: null,
      maxProblems: null,
      seed: 42,
    },
  });
  for (let i = 0; i < 5; i++) {
    await storeBatch(i, 'no_prompt', 'no_user_interaction', BASELINE[i] as number);
    await storeBatch(i, 'persona_known', 'no_user_interaction', ORACLE[i] as number);
    await storeBatch(i, 'infer_persona', 'passive_nostop', DISCOVERY[i] as number);
  }
  // People played records 0 and 1; record 0 twice (playsPerRecord 2), so the human row has 3 episodes on 2 records.
  await storeHuman('live-0a', 0);
  await storeHuman('live-0b', 0);
  await storeHuman('live-1', 1);
});

afterAll(async () => {
  await t.close();
});

describe('results over different record sets', () => {
  it('say which records each source covers and how many every row has in common', async () => {
    const r = await results('');
    expect(r.coverage).toMatchObject({
      bySource: { batch: 5, live: 2, twin: 0 },
      union: 5,
      common: 2,
      sameRecords: false,
    });
    expect(rowCoverage(r, 'baseline', 'no_user_interaction')).toMatchObject({ episodes: 5, records: 5 });
    expect(rowCoverage(r, 'discovery', 'human')).toMatchObject({ episodes: 3, records: 2 });
    // Per task too: every record is a math record here.
    expect(r.coverage.rows.find((c) => c.task === 'math' && c.userType === 'human')).toMatchObject({
      episodes: 3,
      records: 2,
    });
    // n per row is the records the metrics rest on, and the coverage rows say the same.
    expect(condition(r, 'baseline', 'no_user_interaction').n).toBe(5);
    expect(condition(r, 'discovery', 'human').n).toBe(2);
    expect(condition(r, 'baseline', 'no_user_interaction').prefAlign.estimate).toBeCloseTo(19 / 5, 9);
    expect(condition(r, 'oracle', 'no_user_interaction').prefAlign.estimate).toBeCloseTo(23 / 5, 9);
  });

  it('with sameRecords=true compute every row over the common records only', async () => {
    const r = await results('&sameRecords=true');
    expect(r.coverage).toMatchObject({ bySource: { batch: 5, live: 2, twin: 0 }, union: 5, common: 2 });
    expect(r.coverage.sameRecords).toBe(true);
    for (const [name, userType] of [
      ['baseline', 'no_user_interaction'],
      ['oracle', 'no_user_interaction'],
      ['discovery', 'passive_nostop'],
      ['discovery', 'human'],
    ] as const) {
      expect(condition(r, name, userType).n).toBe(2);
      expect(rowCoverage(r, name, userType)?.records).toBe(2);
    }
    expect(rowCoverage(r, 'baseline', 'no_user_interaction')?.episodes).toBe(2);
    expect(rowCoverage(r, 'discovery', 'human')?.episodes).toBe(3);
    // Records 0 and 1 only: baseline 2, oracle 4, simulated discovery 3.
    expect(condition(r, 'baseline', 'no_user_interaction').prefAlign.estimate).toBeCloseTo(2, 9);
    expect(condition(r, 'oracle', 'no_user_interaction').prefAlign.estimate).toBeCloseTo(4, 9);
    expect(condition(r, 'discovery', 'passive_nostop').prefAlign.estimate).toBeCloseTo(3, 9);
    // The people's episodes score 4 (the shared log helper): normalized alignment (4 − 2) / (4 − 2) = 100.
    const pooled = r.metrics.groups.find((g) => g.task === '*');
    expect(pooled?.records).toBe(2);
    expect(pooled?.discovery.find((d) => d.userType === 'human')?.normalizedAlignment.estimate).toBeCloseTo(100, 9);
    expect(pooled?.discovery.find((d) => d.userType === 'passive_nostop')?.normalizedAlignment.estimate).toBeCloseTo(
      50,
      9,
    );
  });

  it('are unchanged by sameRecords=false, and refuse a switch value that is not a boolean', async () => {
    const off = await results('&sameRecords=false');
    expect(off.coverage.sameRecords).toBe(false);
    expect(condition(off, 'baseline', 'no_user_interaction').n).toBe(5);
    const bad = await call(t.app, cookie, 'GET', `/api/studies/${studyId}/results?sameRecords=maybe`);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('sameRecords');
  });
});
