import type { StudyResults } from '../../../../../shared/schemas/api-results.ts';

type Group = StudyResults['metrics']['groups'][number];
type Condition = Group['conditions'][number];
type Discovery = Group['discovery'][number];

export interface ResultRow {
  key: string;
  model: string;
  condition: Condition['condition'];
  /** Who filled the user seat, in words: a person, the live twin, a simulated user type, or nobody. */
  user: string;
  userKind: 'human' | 'simulated' | 'none';
  metrics: Condition;
  /** Paired comparison with baseline and oracle (discovery rows only). */
  paired: Discovery | null;
  /** Completed episodes and distinct records behind the row (null from a server that does not say). */
  coverage: { episodes: number; records: number } | null;
}

function user(condition: Condition): Pick<ResultRow, 'user' | 'userKind'> {
  if (condition.condition !== 'discovery') return { user: '—', userKind: 'none' };
  if (condition.userType === 'human') return { user: 'human (persona actor)', userKind: 'human' };
  if (condition.userType === 'twin') return { user: 'simulated (live twin)', userKind: 'simulated' };
  return { user: `simulated (${condition.userType})`, userKind: 'simulated' };
}

/** The groups of one scope (a task, or '*' pooled) as table rows: model × condition × user type. */
export function resultRows(results: StudyResults, task: string): ResultRow[] {
  const covered = (model: string, c: Condition): ResultRow['coverage'] => {
    const row = results.coverage.rows.find(
      (r) => r.model === model && r.task === task && r.condition === c.condition && r.userType === c.userType,
    );
    return row ? { episodes: row.episodes, records: row.records } : null;
  };
  return results.metrics.groups
    .filter((g) => g.task === task)
    .flatMap((g) =>
      g.conditions
        .filter((c) => c.n > 0)
        .map((c) => ({
          key: `${g.model}|${c.condition}|${c.userType}`,
          model: g.model,
          condition: c.condition,
          ...user(c),
          metrics: c,
          paired: c.condition === 'discovery' ? (g.discovery.find((d) => d.userType === c.userType) ?? null) : null,
          coverage: covered(g.model, c),
        })),
    );
}

/** Tasks present in the results, for the scope picker ('*' = pooled, listed first). */
export function resultTasks(results: StudyResults): string[] {
  const tasks = [...new Set(results.metrics.groups.map((g) => g.task))].filter((t) => t !== '*').sort();
  return ['*', ...tasks];
}

export const CONDITION_LABELS: Record<Condition['condition'], string> = {
  baseline: 'Baseline (no_prompt)',
  oracle: 'Oracle (persona_known)',
  discovery: 'Discovery (infer_persona)',
};

const records = (n: number): string => `${n} record${n === 1 ? '' : 's'}`;

/**
 * When the rows cover different records, in words: the records of each source and how many every row has in common
 * ("… live sessions (people): 12, batch runs: 200; 200 records in all, 12 in common to every row"). Null when every
 * row covers the same records, so there is nothing to warn about.
 */
export function coverageText(results: StudyResults): string | null {
  const { bySource, union, common } = results.coverage;
  if (union === common) return null;
  const parts = [
    bySource.live > 0 ? `live sessions (people): ${bySource.live}` : null,
    bySource.twin > 0 ? `their simulated twins: ${bySource.twin}` : null,
    bySource.batch > 0 ? `batch runs: ${bySource.batch}` : null,
  ].filter((p): p is string => p !== null);
  return `Rows cover different records — ${parts.join(', ')}; ${records(union)} in all, ${common} in common to every row.`;
}
