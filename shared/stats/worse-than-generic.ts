import { discoveryKey, TIE_TOLERANCE, type Cell, type RecordCells } from './record-matrix.ts';

/**
 * "Worse than generic" counted in the two units a reader may meet (docs/metrics.md):
 * - records: paired records whose discovery score is below their own baseline score, D_i < B_i − 1e-9;
 * - model × task groups: groups whose discovery mean is below their baseline mean over the same paired records,
 *   D̄ < B̄ − 1e-9.
 * The PrefDisco paper reports 29.0% over 21 models × 10 tasks, which equals 61/210; that figure may be in the second
 * unit, while our per-group tables use the first. Both are shown so a reader can compare with either. A difference
 * within the tolerance is a tie (not worse); ties are counted, and the shares use every compared record or group.
 */

/** How many compared units were worse, tied or better; n = worse + ties + better. */
export interface UnitCounts {
  n: number;
  worse: number;
  ties: number;
  better: number;
}

/** Both units for one discovery user type, over every model and task given. */
export interface WorseThanGenericSummary {
  userType: string;
  /** Paired records (scored baseline, oracle and discovery episode), pooled over all models and tasks. */
  records: UnitCounts;
  /** (model, task) groups with at least one paired record. */
  groups: UnitCounts;
}

/** One (model, task) group's records, de-duplicated as computeMetrics does. */
export interface GroupRecords {
  records: readonly RecordCells[];
}

const empty = (): UnitCounts => ({ n: 0, worse: 0, ties: 0, better: 0 });

function tally(counts: UnitCounts, diff: number): void {
  counts.n += 1;
  if (diff < -TIE_TOLERANCE) counts.worse += 1;
  else if (diff > TIE_TOLERANCE) counts.better += 1;
  else counts.ties += 1;
}

const scoreOf = (cell: Cell | undefined): number | null => (cell === undefined ? null : cell.score);

/**
 * Both units per discovery user type (alphabetical). Pairing is the per-group tables' rule: a record counts when its
 * baseline, oracle and discovery episodes were all scored, so the records unit sums the tables' worse counts.
 */
export function worseThanGeneric(
  groups: readonly GroupRecords[],
  userTypes: readonly string[],
): WorseThanGenericSummary[] {
  return [...userTypes].sort().map((userType) => {
    const records = empty();
    const groupCounts = empty();
    for (const group of groups) {
      let paired = 0;
      let baselineSum = 0;
      let discoverySum = 0;
      for (const cells of group.records) {
        const b = scoreOf(cells.get('baseline'));
        const o = scoreOf(cells.get('oracle'));
        const d = scoreOf(cells.get(discoveryKey(userType)));
        if (b === null || o === null || d === null) continue;
        tally(records, d - b);
        paired += 1;
        baselineSum += b;
        discoverySum += d;
      }
      if (paired > 0) tally(groupCounts, discoverySum / paired - baselineSum / paired);
    }
    return { userType, records, groups: groupCounts };
  });
}
