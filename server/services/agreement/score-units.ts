import type { RatedItem, RecordInfo } from './agreement-data.ts';

/** The label of the weighted-score row next to the criteria. */
export const WEIGHTED = '(weighted score)';

/** One rated answer on one criterion (or on the weighted score): the judge's value and each rater's. */
export interface ScoreUnit {
  item: RatedItem;
  personaId: string;
  criterion: string;
  /** Preference type of the criterion (`weighted` for the weighted score). */
  type: string;
  ageBand: string;
  judge: number | null;
  /** Present rater values, in the item's rater order. */
  humans: number[];
  raters: string[];
}

/** Σ wᵢ·sᵢ / Σ wᵢ over the scored criteria, as the judge's PrefAlign; null when nothing is scored. */
export function weightedScore(scores: readonly (number | null)[], weights: readonly number[]): number | null {
  let sum = 0;
  let total = 0;
  scores.forEach((s, i) => {
    if (s === null) return;
    sum += (weights[i] ?? 0) * s;
    total += weights[i] ?? 0;
  });
  return total === 0 ? null : sum / total;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function meanOf(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((s, v) => s + v, 0) / values.length;
}

/** The raters' verdict on correctness by strict majority; null on a tie. */
export function majority(correct: readonly (0 | 1)[]): 0 | 1 | null {
  const yes = correct.filter((c) => c === 1).length;
  return yes * 2 > correct.length ? 1 : yes * 2 < correct.length ? 0 : null;
}

function unit(
  item: RatedItem,
  record: RecordInfo,
  criterion: string,
  type: string,
  judge: number | null,
  values: (number | null)[],
): ScoreUnit {
  const humans: number[] = [];
  const raters: string[] = [];
  values.forEach((v, r) => {
    if (v === null) return;
    humans.push(v);
    raters.push(item.raters[r] as string);
  });
  return { item, personaId: item.personaId, criterion, type, ageBand: record.ageBand, judge, humans, raters };
}

/**
 * Every (rated answer, criterion) with its judge score and rater scores, grouped by criterion name in first-seen
 * order, plus the weighted score of each answer (raters' weighted scores use the same weights as the judge's).
 */
export function scoreUnits(
  items: readonly RatedItem[],
  records: ReadonlyMap<string, RecordInfo>,
): { byCriterion: Map<string, ScoreUnit[]>; weighted: ScoreUnit[] } {
  const byCriterion = new Map<string, ScoreUnit[]>();
  const weighted: ScoreUnit[] = [];
  for (const item of items) {
    const record = records.get(item.problemId);
    if (!record) continue;
    record.criteria.forEach((c, ci) => {
      const list = byCriterion.get(c.preference) ?? [];
      list.push(
        unit(
          item,
          record,
          c.preference,
          c.type,
          item.judge[ci] ?? null,
          item.scores.map((row) => row[ci] ?? null),
        ),
      );
      byCriterion.set(c.preference, list);
    });
    const weights = record.criteria.map((c) => c.weight);
    const judge = weightedScore(item.judge, weights) ?? item.judgeWeighted;
    weighted.push(
      unit(
        item,
        record,
        WEIGHTED,
        'weighted',
        judge,
        item.scores.map((row) => weightedScore(row, weights)),
      ),
    );
  }
  return { byCriterion, weighted };
}
