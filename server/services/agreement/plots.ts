import type { AgreementPlots, Heatmap } from '../../../shared/schemas/agreement.ts';
import type { RecordInfo } from './agreement-data.ts';
import type { OutcomePair } from './outcomes.ts';
import { meanOf, type ScoreUnit } from './score-units.ts';

/** Points beyond this are thinned evenly: a browser draws 2,000 circles smoothly, and more hide each other anyway. */
export const MAX_POINTS = 2000;
/** Heatmap rows kept (most-rated first): generated benchmarks name criteria per record, so there can be thousands. */
export const MAX_ROWS = 30;
const BIG5 = ['openness', 'conscientiousness', 'extraversion', 'agreeableness', 'neuroticism'] as const;

const round2 = (x: number): number => Math.round(x * 100) / 100;
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A unit the judge scored and at least one rater scored, with the judge's value and the raters' mean. */
interface Paired {
  unit: ScoreUnit;
  judge: number;
  human: number;
}

/** The units every plot reads, each reduced once (twelve heatmaps read the same pairs). */
function pairUp(units: readonly ScoreUnit[]): Paired[] {
  return units.flatMap((unit) => {
    const human = meanOf(unit.humans);
    return unit.judge === null || human === null ? [] : [{ unit, judge: unit.judge, human }];
  });
}

function bubbleCells(pairs: readonly Paired[]): AgreementPlots['judgeVsHuman'] {
  const counts = new Map<string, { judge: number; human: number; n: number }>();
  for (const p of pairs) {
    const human = round2(p.human);
    const key = `${p.judge}|${human}`;
    const cell = counts.get(key) ?? { judge: p.judge, human, n: 0 };
    cell.n += 1;
    counts.set(key, cell);
  }
  return [...counts.values()].sort((a, b) => a.judge - b.judge || a.human - b.human);
}

function thinned(pairs: readonly Paired[]): AgreementPlots['weighted'] {
  const points = pairs.map((p) => ({ judge: round2(p.judge), human: round2(p.human) }));
  const stride = Math.max(1, Math.ceil(points.length / MAX_POINTS));
  return { total: points.length, points: points.filter((_, i) => i % stride === 0) };
}

/**
 * Mean |judge − raters' mean| for each row (criterion or preference type) × value of one persona attribute. The same
 * MAE as the slices table, split two ways, so a cell says where on the rubric and for whom the judge drifts.
 */
function heatmap(
  pairs: readonly Paired[],
  attribute: string,
  column: (u: ScoreUnit) => string | null,
  rowsBy: Heatmap['rowsBy'],
): Heatmap | null {
  const cells = new Map<string, Map<string, number[]>>();
  const columns = new Set<string>();
  for (const p of pairs) {
    const col = column(p.unit);
    if (col === null) continue;
    const row = rowsBy === 'criterion' ? p.unit.criterion : p.unit.type;
    columns.add(col);
    const byCol = cells.get(row) ?? new Map<string, number[]>();
    const list = byCol.get(col) ?? [];
    list.push(Math.abs(p.judge - p.human));
    byCol.set(col, list);
    cells.set(row, byCol);
  }
  if (cells.size === 0) return null;
  const cols = [...columns].sort(byText);
  const rows = [...cells]
    .map(([label, byCol]) => {
      const rowCells = cols.map((c) => {
        const diffs = byCol.get(c) ?? [];
        return { mae: diffs.length === 0 ? null : round2(meanOf(diffs) as number), n: diffs.length };
      });
      return { label, n: rowCells.reduce((s, c) => s + c.n, 0), cells: rowCells };
    })
    .sort((a, b) => b.n - a.n || byText(a.label, b.label));
  return {
    attribute,
    rowsBy,
    columns: cols,
    rows: rows.slice(0, MAX_ROWS),
    omittedRows: Math.max(0, rows.length - MAX_ROWS),
  };
}

/** The dashboard's plot data: judge vs raters per criterion and per answer, the heatmaps, and the Bland–Altman points. */
export function plots(
  criterionUnits: readonly ScoreUnit[],
  weighted: readonly ScoreUnit[],
  pairs: readonly OutcomePair[],
  records: ReadonlyMap<string, RecordInfo>,
): AgreementPlots {
  const attributes: [string, (u: ScoreUnit) => string | null][] = [
    ['age band', (u) => u.ageBand],
    ...BIG5.map((trait): [string, (u: ScoreUnit) => string | null] => [
      trait,
      (u) => {
        const score = records.get(u.item.problemId)?.traits?.[trait];
        return score === undefined ? null : String(score);
      },
    ]),
  ];
  const criterionPairs = pairUp(criterionUnits);
  const heatmaps = (['criterion', 'preference_type'] as const).flatMap((rowsBy) =>
    attributes.flatMap(([name, column]) => heatmap(criterionPairs, name, column, rowsBy) ?? []),
  );
  return {
    judgeVsHuman: bubbleCells(criterionPairs),
    weighted: thinned(pairUp(weighted)),
    heatmaps,
    blandAltman: pairs.map((p) => ({
      mean: round2((p.human + p.simulator) / 2),
      difference: round2(p.human - p.simulator),
      model: p.model,
    })),
  };
}
