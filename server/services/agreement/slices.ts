import type { AgreementReport, JudgeHumanRow } from '../../../shared/schemas/agreement.ts';
import type { RatedItem } from './agreement-data.ts';
import { pairedMae, pooledKappa, SCALE } from './judge-vs-humans.ts';
import { estimates, planFor, type ResampleSettings } from './resampling.ts';
import { majority, meanOf, median, type ScoreUnit } from './score-units.ts';

type SliceRow = AgreementReport['slices']['rows'][number];
type Disagreement = AgreementReport['disagreements'][number];

/** Judge vs human κ_w (pooled over raters) and MAE (vs the rater mean) on a group of criterion units. */
function slice(
  dimension: SliceRow['dimension'],
  value: string,
  units: readonly ScoreUnit[],
  settings: ResampleSettings,
): SliceRow {
  const judged = units.map((u) => (u.judge !== null && u.humans.length > 0 ? u.judge : null));
  const means = units.map((u) => (u.judge !== null ? meanOf(u.humans) : null));
  const [kappaW, mae] = estimates(
    planFor(units.map((u) => u.personaId)),
    [
      pooledKappa(
        units.map((u) => (u.judge === null ? [] : u.humans.map((h) => [u.judge as number, h] as const))),
        SCALE,
      ),
      pairedMae(judged, means),
    ],
    settings,
  );
  return { dimension, value, kappaW: kappaW as SliceRow['kappaW'], mae: mae as SliceRow['mae'] };
}

function groupBy(units: readonly ScoreUnit[], key: (u: ScoreUnit) => string): [string, ScoreUnit[]][] {
  const groups = new Map<string, ScoreUnit[]>();
  for (const u of units) {
    const list = groups.get(key(u)) ?? [];
    list.push(u);
    groups.set(key(u), list);
  }
  return [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Where the judge agrees with people and where it does not: by criterion (the judge-vs-humans rows' values), by
 * preference type and by the persona's age band, each over the (answer, criterion) units of the slice.
 */
export function slices(
  rows: readonly JudgeHumanRow[],
  criterionUnits: readonly ScoreUnit[],
  settings: ResampleSettings,
): SliceRow[] {
  const out: SliceRow[] = rows.map((r) => ({
    dimension: 'criterion',
    value: r.criterion,
    kappaW: r.kappaVsRaters,
    mae: r.mae,
  }));
  for (const [type, units] of groupBy(criterionUnits, (u) => u.type))
    out.push(slice('preference_type', type, units, settings));
  for (const [band, units] of groupBy(criterionUnits, (u) => u.ageBand))
    out.push(slice('age_band', band, units, settings));
  return out;
}

export const CORRECTNESS = '(correctness)';

/** Answers to read: the judge is ≥ 2 points from the raters' median on a criterion, or contradicts their majority. */
export function disagreements(criterionUnits: readonly ScoreUnit[], items: readonly RatedItem[]): Disagreement[] {
  const out: Disagreement[] = [];
  for (const u of criterionUnits) {
    const m = median(u.humans);
    if (u.judge === null || m === null || Math.abs(u.judge - m) < 2) continue;
    out.push({
      itemId: u.item.itemId,
      problemId: u.item.problemId,
      criterion: u.criterion,
      kind: 'score',
      judge: u.judge,
      humanMedian: m,
      humanScores: u.humans,
    });
  }
  for (const item of items) {
    const verdict = majority(item.correct);
    if (item.judgeCorrect === null || verdict === null || verdict === item.judgeCorrect) continue;
    out.push({
      itemId: item.itemId,
      problemId: item.problemId,
      criterion: CORRECTNESS,
      kind: 'correctness',
      judge: item.judgeCorrect,
      humanMedian: verdict,
      humanScores: [...item.correct],
    });
  }
  return out.sort((a, b) =>
    a.itemId < b.itemId
      ? -1
      : a.itemId > b.itemId
        ? 1
        : a.criterion < b.criterion
          ? -1
          : a.criterion > b.criterion
            ? 1
            : 0,
  );
}
