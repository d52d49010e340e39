import { performance } from 'node:perf_hooks';
import { createRng, randomInt, type Rng } from '../shared/stats/index.ts';
import type {
  AgreementData,
  LiveEpisode,
  RatedItem,
  RecordInfo,
  TwinEpisode,
} from '../server/services/agreement/agreement-data.ts';
import { computeAgreementReport } from '../server/services/agreement/agreement-report.ts';
import { ageBand } from '../server/services/agreement/record-info.ts';
import type { BenchResult } from './support/bench-result.ts';

const ITEMS = 10_000;
const CRITERIA = 10;
const RECORDS = 2_000;
const PERSONAS = 400;
const RATERS = 300;
const MODELS = ['model-a', 'model-b', 'model-c'];
const LIVE = 1_000;

const clamp = (v: number): number => Math.min(5, Math.max(1, Math.round(v)));
/** Roughly normal noise (sum of uniforms), cheap and seeded. */
const noise = (rng: Rng, sd: number): number => (rng() + rng() + rng() - 1.5) * 2 * sd;

function records(rng: Rng): RecordInfo[] {
  return Array.from({ length: RECORDS }, (_, r) => {
    const criteria = Array.from({ length: CRITERIA }, (_, c) => ({
      preference: `criterion ${c}`,
      weight: 1 / CRITERIA,
      type: c % 3 === 0 ? 'expertise' : 'personal',
    }));
    const age = 18 + randomInt(rng, 58);
    return {
      problemId: `problem_${r}`,
      personaId: `persona_${r % PERSONAS}`,
      ageBand: ageBand(age),
      criteria,
      preferences: Object.fromEntries(criteria.map((c, i) => [c.preference, { value: (i % 5) + 1, type: c.type }])),
    };
  });
}

/** 10,000 answers × 10 criteria × 1–3 raters (200,000 criterion scores), judged with a small bias and more noise. */
function items(rng: Rng, recs: RecordInfo[]): RatedItem[] {
  return Array.from({ length: ITEMS }, (_, i) => {
    const record = recs[i % RECORDS] as RecordInfo;
    const quality = Array.from({ length: CRITERIA }, () => 1 + rng() * 4);
    const raters = [...new Set(Array.from({ length: 1 + (i % 3) }, () => `rater_${randomInt(rng, RATERS)}`))].sort();
    const scores = raters.map(() => quality.map((q) => clamp(q + noise(rng, 0.7))));
    const judge = quality.map((q) => clamp(q + 0.3 + noise(rng, 0.9)));
    return {
      itemId: `item_${String(i).padStart(5, '0')}`,
      problemId: record.problemId,
      personaId: record.personaId,
      sourceEpisodeId: `episode_${i}`,
      model: MODELS[i % MODELS.length] ?? null,
      raters,
      scores,
      correct: raters.map(() => (rng() < 0.7 ? 1 : 0)),
      judge,
      judgeWeighted: null,
      judgeCorrect: rng() < 0.7 ? 1 : 0,
      self: i % 5 === 0 ? { scores: quality.map((q) => clamp(q + 0.5 + noise(rng, 0.8))), correct: 1 } : null,
    };
  });
}

function played(rng: Rng, recs: RecordInfo[]): { live: LiveEpisode[]; twins: TwinEpisode[] } {
  const live: LiveEpisode[] = [];
  const twins: TwinEpisode[] = [];
  for (let e = 0; e < LIVE; e++) {
    const record = recs[e % RECORDS] as RecordInfo;
    const model = MODELS[e % MODELS.length] as string;
    const score = 1 + rng() * 4;
    const label = (): { asked: string[]; revealed: { preference: string; value: string }[] } => {
      const c = `criterion ${randomInt(rng, CRITERIA)}`;
      return { asked: [c], revealed: rng() < 0.6 ? [{ preference: c, value: String(1 + randomInt(rng, 5)) }] : [] };
    };
    const base = {
      problemId: record.problemId,
      personaId: record.personaId,
      model,
      turns: 5,
      unprompted: [0, 1, 0, 0, 1],
    };
    live.push({
      ...base,
      episodeId: `live_${e}`,
      weightedScore: score,
      replyWords: [12, 30, 8, 5, 20],
      turnLabels: Array.from({ length: 5 }, (_, turn) => ({ turn, human: label(), twin: label() })),
    });
    twins.push({
      ...base,
      episodeId: `twin_${e}`,
      liveEpisodeId: `live_${e}`,
      weightedScore: clamp(score + noise(rng, 0.5)),
      replyWords: [40, 35, 50, 38, 42],
    });
  }
  return { live, twins };
}

export function synthesize(seed = 7): AgreementData {
  const rng = createRng(seed);
  const recs = records(rng);
  const rated = items(rng, recs);
  const { live, twins } = played(rng, recs);
  const baselines = recs.flatMap((r) =>
    MODELS.map((model) => ({ problemId: r.problemId, model, weightedScore: 1 + rng() * 4 })),
  );
  const none: string[] = [];
  return {
    records: recs,
    items: rated,
    live,
    twins,
    baselines,
    provenance: {
      models: MODELS,
      judgeModels: ['judge'],
      simulatorModels: ['sim'],
      promptHashes: none,
      rubricHashes: none,
      appVersions: ['bench'],
      testModels: none,
    },
  };
}

/**
 * The agreement report's statistics (not the database gather) on synthetic data shaped like the gathered arrays:
 * 10,000 rated answers × 10 criteria × 1–3 raters, 1,000 live episodes with twins and 5 labeled turns each, with
 * 1,000 bootstrap resamples. Target: under 5 s.
 */
export async function statsBench(): Promise<BenchResult> {
  const data = synthesize();
  const scores = data.items.reduce((s, i) => s + i.raters.length * CRITERIA, 0);
  const runs: number[] = [];
  for (let run = 0; run < 2; run++) {
    const t = performance.now();
    computeAgreementReport({ id: 'bench', name: 'bench' }, data, { epsilon: 0.1, resamples: 1000, seed: 42 });
    runs.push((performance.now() - t) / 1000);
  }
  return {
    name: 'stats',
    description: `agreement report statistics: ${ITEMS} answers × ${CRITERIA} criteria × 1–3 raters (${scores} criterion scores), ${LIVE} live episodes + twins, 1,000 resamples`,
    metrics: { criterion_scores: scores, report_seconds_first: runs[0] as number, report_seconds: Math.min(...runs) },
    targets: { report_seconds: 5 },
  };
}
