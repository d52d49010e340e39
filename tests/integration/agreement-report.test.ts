import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgreementReportSchema, type AgreementReport, type Estimate } from '../../shared/schemas/agreement.ts';
import { buildApp } from '../../server/app.ts';
import { agreementReport } from '../../server/services/agreement/agreement-report.ts';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import { buildAgreementStudy, C1, C2, type AgreementStudy } from '../support/agreement-study.ts';
import { joinAs, signInResearcher } from '../support/auth-helpers.ts';
import { ratedLive, RATINGS, turn } from '../support/rated-live-episodes.ts';
import { runCli } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-files.ts';

/*
 * Three rated answers (live episodes L0–L2 on records of personas aged 22, 30 and 47), two raters, two criteria
 * C1 (expertise, true value 2) and C2 (personal, true value 5), weights ½ each: the numbers are in
 * tests/support/rated-live-episodes.ts.
 */
const SETTINGS = { epsilon: 0.1, resamples: 1000, seed: 42 };
const dir = tempDir();
const file = join(dir, 'agreement.sqlite');
let storage: SqliteStorage;
let app: Awaited<ReturnType<typeof buildApp>>;
let study: AgreementStudy;
let report: AgreementReport;

beforeAll(async () => {
  storage = SqliteStorage.open({ file });
  app = await buildApp({ config: { clientDir: join(dir, 'no-client') }, storage, isDeclaredModel: () => true });
  study = await buildAgreementStudy({ app, storage }, dir, {
    live: [
      ...ratedLive([
        turn('It is a two for me', [[C1], [[C1, '2']]], [[C1], [[C1, ' 2.0 ']]]),
        turn('I love honeycomb pictures', [[C1], [[C2, '5']]], [[C1], [[C2, '3']]]),
      ]),
      { id: 'L3', record: 0, model: 'model-b', score: 5, turns: [] },
      { id: 'L4', record: 1, model: 'model-c', score: 1.5, turns: [] },
    ],
    twins: [
      {
        id: 'T0',
        of: 'L0',
        score: 2.5,
        turns: [
          turn('I would rate my comfort as two out of five', [
            [C1],
            [
              [C1, '2'],
              [C2, '5'],
            ],
          ]),
        ],
      },
      { id: 'T1', of: 'L1', score: 4, turns: [turn('Four', [[C1], [[C1, '4']]]), turn('Not much', [[C2], []])] },
      { id: 'T2', of: 'L2', score: 2, turns: [turn('High please', [[C1], [[C2, 'high']]])] },
      { id: 'T3', of: 'L3', score: 4.5, turns: [] },
      { id: 'T4', of: 'L4', score: 1, turns: [] },
    ],
    baselines: [
      { record: 0, model: 'model-a', score: 3.25 },
      { record: 1, model: 'model-a', score: 3.75 },
      { record: 2, model: 'model-a', score: 2 },
    ],
    ratings: RATINGS,
  });
  report = (await agreementReport(storage, study.studyId, SETTINGS)) as AgreementReport;
});
afterAll(async () => {
  await app.close();
  await storage.close();
});

const row = (criterion: string) =>
  report.judgeVsHumans.rows.find((r) => r.criterion === criterion) as AgreementReport['judgeVsHumans']['rows'][number];
function expectValue(e: Estimate, value: number, n?: number): void {
  expect(e.value).toBeCloseTo(value, 3);
  if (n !== undefined) expect(e.n).toBe(n);
  // Every defined single statistic carries its interval.
  expect(e.ci).not.toBeNull();
}

describe('the agreement report of a hand-computed study', () => {
  it('is a valid report over the three rated answers', () => {
    expect(AgreementReportSchema.parse(report)).toEqual(report);
    expect(report.counts).toEqual({
      ratedItems: 3,
      ratings: 6,
      raters: 2,
      liveEpisodes: 5,
      twinEpisodes: 5,
      baselineEpisodes: 3,
    });
    expect(report.provenance).toEqual({
      itemIds: [...study.itemOf.values()].sort(),
      models: ['model-a', 'model-b', 'model-c'],
      judgeModels: ['judge-x'],
      simulatorModels: ['sim-y'],
      promptHashes: ['discoverySystem:p-hash'],
      rubricHashes: ['rubric-0', 'rubric-1', 'rubric-2'],
      appVersions: ['test-1'],
      testModels: [],
    });
  });

  it('judge vs humans on C1', () => {
    const r = row(C1);
    // Pairs (f, h): (4,4) (4,5) (2,2) (2,2) (1,3) (1,2); w = (a−b)²/16. Σw·O = 6/16 over n = 6; judge marginals
    // {4:2, 2:2, 1:2}, rater marginals {4:1, 5:1, 2:3, 3:1}: Σw·E = 120/16 over n² = 36. κ_w = 1 − (1/16)/(7.5/36) = 0.7.
    expectValue(r.kappaVsRaters, 0.7, 6);
    // Medians 4.5, 2, 2.5 on the half-point scale: κ_w = 1 − (10/192)/(114/576) = 84/114.
    expectValue(r.kappaVsMedian, 84 / 114, 3);
    // Ordinal α, humans {4,5} {2,2} {3,2}: D_o = 10/6, D_e = 93·2/30 = 6.2 → 1 − (10/6)/6.2.
    expectValue(r.alphaHumans, 1 - 10 / 6 / 6.2, 3);
    // With the judge {4,5,4} {2,2,2} {3,2,1}: D_o = 42/9, D_e = 981/72 → 1 − (42/9)/(981/72). Adding the judge lowers α.
    expectValue(r.alphaWithJudge, 1 - 42 / 9 / (981 / 72), 3);
    // Judge 4, 2, 1 vs rater means 4.5, 2, 2.5: ranks (3,2,1) vs (3,1,2) → ρ = 0.5; MAE = (0.5 + 0 + 1.5)/3.
    expectValue(r.spearman, 0.5, 3);
    expectValue(r.mae, 2 / 3, 3);
    // Ceiling: each rater vs the other: |4−5|×2 + 0 + |3−2|×2 = 4 over 6; the judge vs the same others: 1+0+0+0+1+2 = 4/6.
    expectValue(r.ceiling.humanMae, 4 / 6, 6);
    expectValue(r.ceiling.judgeMae, 4 / 6, 6);
    // Exact: humans agree only on item 1 (2/6); the judge matches A=4 on item 0 and both on item 1 (3/6).
    expectValue(r.ceiling.humanExact, 2 / 6, 6);
    expectValue(r.ceiling.judgeExact, 3 / 6, 6);
    // Alt-Test (absolute): against A, W^h − W^f = 0, 0, 0 → p = 0, rejected; against B, −1, 0, 1 → t = −0.173, p ≈ 0.44,
    // not rejected (BY, m = 2). ω = 1/2 → passed; ρ = mean(ρ^f) = (1 + 2/3)/2.
    expect(r.altTest.winningRate).toBeCloseTo(0.5, 3);
    expect(r.altTest.advantageProbability).toBeCloseTo(5 / 6, 3);
    expect(r.altTest.passed).toBe(true);
  });

  it('judge vs humans on C2 and on the weighted score', () => {
    const r = row(C2);
    // Pairs (2,3)×2 (5,3)×2 (3,3) (3,4): Σw·O = 11/16, Σw·E = 62/16 → κ_w = 1 − (11/96)/(62/576) = −4/62.
    expectValue(r.kappaVsRaters, -4 / 62, 6);
    expectValue(r.kappaVsMedian, -4 / 59, 3);
    // Humans {3,3} {3,3} {3,4}: D_o = D_e = 3 → α = 0; with the judge D_o = 89.5/9, D_e = 10.625.
    expectValue(r.alphaHumans, 0, 3);
    expectValue(r.alphaWithJudge, 1 - 89.5 / 9 / 10.625, 3);
    expectValue(r.mae, 3.5 / 3, 3);
    expectValue(r.spearman, 0, 3);
    expectValue(r.ceiling.humanMae, 2 / 6, 6);
    expectValue(r.ceiling.judgeMae, 7 / 6, 6);
    expectValue(r.ceiling.humanExact, 4 / 6, 6);
    expectValue(r.ceiling.judgeExact, 1 / 6, 6);
    // Weighted (½ C1 + ½ C2): judge 3, 3.5, 2; A 3.5, 2.5, 3; B 4, 2.5, 3; means 3.75, 2.5, 3.
    const w = row('(weighted score)');
    expectValue(w.mae, 2.75 / 3, 3);
    expectValue(w.spearman, -0.5, 3);
    expectValue(w.ceiling.humanMae, 1 / 6, 6);
    expectValue(w.ceiling.judgeMae, 5.5 / 6, 6);
  });

  it('correctness, disagreements and slices', () => {
    // Judge 1, 1, 0 vs majority 1, 0, 0: p_o = 2/3, p_e = 4/9 → κ = 0.4.
    expectValue(report.judgeVsHumans.correctnessKappa, 0.4, 3);
    // Item 1: the judge gives C2 a 5 against a median of 3, and calls it correct against both raters.
    const item1 = study.itemOf.get('L1');
    expect(report.disagreements).toEqual([
      {
        itemId: item1,
        problemId: 'problem_1_persona_b',
        criterion: '(correctness)',
        kind: 'correctness',
        judge: 1,
        humanMedian: 0,
        humanScores: [0, 0],
      },
      {
        itemId: item1,
        problemId: 'problem_1_persona_b',
        criterion: C2,
        kind: 'score',
        judge: 5,
        humanMedian: 3,
        humanScores: [3, 3],
      },
    ]);
    const slice = (dimension: string, value: string) =>
      report.slices.rows.find((s) => s.dimension === dimension && s.value === value);
    expectValue(slice('preference_type', 'expertise')?.kappaW as Estimate, 0.7, 6);
    expectValue(slice('preference_type', 'personal')?.mae as Estimate, 3.5 / 3, 3);
    // Age 22 (item 0 only): pairs (4,4) (4,5) (2,3) (2,3): Σw·O = 3/16 over 4, Σw·E = 36/16 over 16 → κ_w = 2/3; MAE (0.5 + 1)/2.
    expectValue(slice('age_band', '18–25')?.kappaW as Estimate, 2 / 3, 4);
    expectValue(slice('age_band', '18–25')?.mae as Estimate, 0.75, 2);
    expect(report.slices.rows.map((s) => s.value)).toEqual([
      C1,
      C2,
      '(weighted score)',
      'expertise',
      'personal',
      '18–25',
      '26–35',
      '46–55',
    ]);
  });

  it('self-ratings vs raters vs the judge', () => {
    const [selfRaters, selfJudge, ratersJudge] = report.selfRatings.comparisons;
    expect(report.selfRatings.items).toBe(3);
    // Units (self, judge, rater mean): (5,4,4.5) (2,2,3) (2,2,2) (4,5,3) (3,1,2.5) (3,3,3.5).
    expectValue(selfRaters?.mae as Estimate, 3.5 / 6, 6);
    expectValue(selfJudge?.mae as Estimate, 4 / 6, 6);
    expectValue(ratersJudge?.mae as Estimate, 5.5 / 6, 6);
    // Self vs judge pairs: Σ(a−b)²·O = 6, Σ(a−b)²·rowA·colB = 110 → κ_w = 1 − (6/6)/(110/36) = 74/110.
    expectValue(selfJudge?.kappaW as Estimate, 74 / 110, 6);
  });

  it('simulator vs humans: disclosure, outcomes and behaviour', () => {
    const d = report.disclosure;
    // 4 questions × 2 preferences. Person/twin: C1@L0t0 correct/correct ("2" = " 2.0 "), C2@L0t1 correct/wrong,
    // C1@L1t0 not/wrong, C2@L2t0 wrong/wrong ("High" vs 5), the other four not/not. p_o = 6/8; marginals person
    // {not 5, correct 2, wrong 1}, twin {not 4, correct 1, wrong 3}: p_e = 25/64 → κ = (48 − 25)/(64 − 25) = 23/39.
    expect(d.units).toBe(8);
    expect(d.confusion).toEqual([
      [4, 0, 1],
      [0, 1, 1],
      [0, 0, 1],
    ]);
    const overall = d.rows.find((r) => r.scope === 'overall');
    expectValue(overall?.kappa as Estimate, 23 / 39, 8);
    expectValue(overall?.agreement as Estimate, 0.75, 8);
    expectValue(d.rows.find((r) => r.value === C1)?.kappa as Estimate, 5 / 9, 4);
    expectValue(d.rows.find((r) => r.value === 'personal')?.kappa as Estimate, 0.6, 4);
    // Both revealed: "2"/"2.0" same, "5"/"3" differ, "High"/"high" same.
    expectValue(d.revealedValueAgreement, 2 / 3, 3);

    const o = report.outcomes;
    // (person, twin) per record × model: (3, 2.5) (3.5, 4) (2, 2) (5, 4.5) (1.5, 1). Deviations from 3 and 2.8:
    // Σdh·ds = 7.5, Σdh² = 7.5, Σds² = 8.3 → r = 7.5/√62.25; the ranks agree exactly → ρ = 1.
    expect(o.pairs).toBe(5);
    expectValue(o.pearson, 7.5 / Math.sqrt(62.25), 5);
    expectValue(o.spearman, 1, 5);
    // d = 0.5, −0.5, 0, 0.5, 0.5: mean 0.2, SD √0.2, limits 0.2 ± 1.96·√0.2.
    expect(o.blandAltman.meanDifference).toBeCloseTo(0.2, 3);
    expect(o.blandAltman.sdDifference).toBeCloseTo(Math.sqrt(0.2), 3);
    expect(o.blandAltman.upper).toBeCloseTo(0.2 + 1.96 * Math.sqrt(0.2), 3);
    // Model means: a 2.833/2.833, b 5/4.5, c 1.5/1 → same order, τ_b = 1.
    expect(o.modelRankingTau.value).toBeCloseTo(1, 6);
    // Baselines 3.25, 3.75, 2 (model-a): the person is worse on records 0 and 1, the twin only on record 0; record 2 ties.
    expectValue(o.worseThanGeneric.human, 2 / 3, 3);
    expectValue(o.worseThanGeneric.simulator, 1 / 3, 3);

    const b = Object.fromEntries(report.behaviour.rows.map((r) => [r.measure, r]));
    expect(b.turns).toMatchObject({ humanMean: 0.8, simulatorMean: 0.8, ks: { value: 0 } });
    // Words: person 6, 4, 2, 3; twin 10, 1, 2, 2 → equal means, KS D = 0.5 (at t = 2: 1/4 vs 3/4).
    expect(b.words_per_reply).toMatchObject({ humanMean: 3.75, simulatorMean: 3.75, ks: { value: 0.5 } });
    // Unprompted disclosures per labeled reply: person 0, 1, 0, 0; twin 1, 0, 0, 1 → D = 0.25.
    expect(b.unprompted_disclosures).toMatchObject({ humanMean: 0.25, simulatorMean: 0.5, ks: { value: 0.25 } });
  });

  it('the plots’ data: judge vs rater means, heatmaps by persona attribute, Bland–Altman points', () => {
    const { plots } = report;
    // C1 (judge, rater mean): (4, 4.5) (2, 2) (1, 2.5); C2: (2, 3) (5, 3) (3, 3.5) — one unit each.
    expect(plots.judgeVsHuman).toEqual([
      { judge: 1, human: 2.5, n: 1 },
      { judge: 2, human: 2, n: 1 },
      { judge: 2, human: 3, n: 1 },
      { judge: 3, human: 3.5, n: 1 },
      { judge: 4, human: 4.5, n: 1 },
      { judge: 5, human: 3, n: 1 },
    ]);
    // Weighted (½ each): judge 3, 3.5, 2 vs rater means of (3.5, 4), (2.5, 2.5), (3, 3).
    // Points follow the items' (random) id order, so compare them sorted.
    expect(plots.weighted.total).toBe(3);
    expect([...plots.weighted.points].sort((a, b) => a.judge - b.judge)).toEqual([
      { judge: 2, human: 3 },
      { judge: 3, human: 3.75 },
      { judge: 3.5, human: 2.5 },
    ]);
    // Ages 22, 30, 47: |judge − mean| per criterion is C1 0.5, 0, 1.5 and C2 1, 2, 0.5.
    const ages = plots.heatmaps.find((h) => h.attribute === 'age band' && h.rowsBy === 'criterion');
    expect(ages?.columns).toEqual(['18–25', '26–35', '46–55']);
    expect(ages?.rows.map((r) => [r.label, r.n, r.cells.map((c) => c.mae)])).toEqual([
      [C1, 3, [0.5, 0, 1.5]],
      [C2, 3, [1, 2, 0.5]],
    ]);
    const types = plots.heatmaps.find((h) => h.attribute === 'age band' && h.rowsBy === 'preference_type');
    expect(types?.rows.map((r) => r.label).sort()).toEqual(['expertise', 'personal']);
    // Pairs (human, twin): 3/2.5, 3.5/4, 2/2 (model-a), 5/4.5 (model-b), 1.5/1 (model-c).
    const points = plots.blandAltman
      .map((p) => [p.model, p.mean, p.difference])
      .sort((a, b) => String(a).localeCompare(String(b)));
    expect(points).toEqual([
      ['model-a', 2, 0],
      ['model-a', 2.75, 0.5],
      ['model-a', 3.75, -0.5],
      ['model-b', 4.75, 0.5],
      ['model-c', 1.25, 0.5],
    ]);
  });
});

describe('reproducibility and the interfaces', () => {
  it('recomputing from the same database gives the same hash; changing one rating changes it', async () => {
    const again = (await agreementReport(storage, study.studyId, SETTINGS)) as AgreementReport;
    expect(again.reportSha256).toBe(report.reportSha256);
    expect(again.reportSha256).toMatch(/^[0-9a-f]{64}$/);
    const reseeded = (await agreementReport(storage, study.studyId, { ...SETTINGS, seed: 7 })) as AgreementReport;
    expect(reseeded.reportSha256).not.toBe(report.reportSha256); // the seed moves the intervals and is part of the report
    // A corrected rating, as a data fix would make it: rater B's C1 score of item 0 goes from 5 to 4 (then back).
    const db = new Database(file);
    try {
      const rating = db
        .prepare(
          `SELECT id, scores_json AS scores FROM ratings WHERE study_id = ? AND participant_id = ? AND scores_json LIKE ?`,
        )
        .get(study.studyId, study.raters[1], `%"${C1}":5%`) as { id: number; scores: string };
      db.prepare('UPDATE ratings SET scores_json = ? WHERE id = ?').run(
        rating.scores.replace(`"${C1}":5`, `"${C1}":4`),
        rating.id,
      );
      const edited = (await agreementReport(storage, study.studyId, SETTINGS)) as AgreementReport;
      expect(edited.reportSha256).not.toBe(report.reportSha256);
      // Item 0's C1 pairs become (4,4) (4,4): Σw·O = 5/16 → κ_w moves off 0.7.
      expect(edited.judgeVsHumans.rows[0]?.kappaVsRaters.value).not.toBeCloseTo(0.7, 3);
      db.prepare('UPDATE ratings SET scores_json = ? WHERE id = ?').run(rating.scores, rating.id);
      expect(((await agreementReport(storage, study.studyId, SETTINGS)) as AgreementReport).reportSha256).toBe(
        report.reportSha256,
      );
    } finally {
      db.close();
    }
  });

  it('prefdisco agreement --json on the database gives the same report; tables on a terminal', async () => {
    const name = (await storage.getStudy(study.studyId))?.name as string;
    const json = await runCli(['agreement', '--study', name, '--json', '--db', file]);
    expect(json.code).toBe(0);
    const parsed = AgreementReportSchema.parse(JSON.parse(json.stdout));
    expect(parsed.reportSha256).toBe(report.reportSha256);
    expect(parsed.judgeVsHumans.rows[0]?.kappaVsRaters.value).toBeCloseTo(0.7, 6);
    const text = await runCli(['agreement', '--study', study.studyId, '--db', file, '--resamples', '200']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Judge vs humans');
    expect(text.stdout).toMatch(new RegExp(`${C1}\\s+3\\s+0\\.700 \\[`));
    expect(text.stdout).toContain('Disagreeing answers (2)');
    const missing = await runCli(['agreement', '--study', 'no such study', '--db', file]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no study');
    const bad = await runCli(['agreement', '--study', name, '--epsilon', 'lots', '--db', file]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--epsilon');
  });

  it('HTTP: researchers only; JSON report and CSV/JSONL tables with the right rows', async () => {
    const url = `/api/studies/${study.studyId}/agreement`;
    expect((await app.inject({ method: 'GET', url })).statusCode).toBe(401);
    const rater = await joinAs({ app, storage }, 'rater', { studyId: study.studyId });
    const refused = await app.inject({
      method: 'GET',
      url: `${url}/judge_vs_humans.csv`,
      headers: { cookie: rater.cookie },
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toEqual({ error: 'forbidden', message: 'researchers only' });
    const { cookie } = await signInResearcher({ app, storage });
    const res = await app.inject({ method: 'GET', url, headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(AgreementReportSchema.parse(res.json()).reportSha256).toBe(report.reportSha256);

    const csv = await app.inject({ method: 'GET', url: `${url}/judge_vs_humans.csv`, headers: { cookie } });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trimEnd().split('\r\n');
    const header = (lines[0] ?? '').split(',');
    expect(header.slice(0, 4)).toEqual(['criterion', 'items', 'ratings', 'kappa_vs_raters']);
    const cells = lines.slice(1).map((l) => l.split(','));
    expect(cells.map((c) => c[0])).toEqual([C1, C2, '(weighted score)', '(correctness)']);
    expect(Number(cells[0]?.[header.indexOf('kappa_vs_raters')])).toBeCloseTo(0.7, 6);
    expect(Number(cells[3]?.[header.indexOf('kappa_vs_median')])).toBeCloseTo(0.4, 6);

    const jsonl = await app.inject({ method: 'GET', url: `${url}/disagreements.jsonl`, headers: { cookie } });
    expect(
      jsonl.body
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as { criterion: string; judge: number }),
    ).toEqual([
      expect.objectContaining({ criterion: '(correctness)', judge: 1 }),
      expect.objectContaining({ criterion: C2, judge: 5, human_median: 3 }),
    ]);
    for (const table of ['self_ratings', 'disclosure', 'outcomes', 'behaviour', 'slices']) {
      const r = await app.inject({ method: 'GET', url: `${url}/${table}.csv?resamples=50`, headers: { cookie } });
      expect(r.statusCode, table).toBe(200);
      expect(r.body.split('\r\n').length, table).toBeGreaterThan(2);
    }
    expect((await app.inject({ method: 'GET', url: `${url}/ratings.csv`, headers: { cookie } })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: `${url}?epsilon=2`, headers: { cookie } })).statusCode).toBe(400);
    expect(
      (await app.inject({ method: 'GET', url: '/api/studies/nope/agreement', headers: { cookie } })).statusCode,
    ).toBe(404);
  });
});
