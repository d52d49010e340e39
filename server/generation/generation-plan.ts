import type { BenchmarkRecord } from '../../shared/schemas/benchmark.ts';
import type { GeneralDimension } from '../../shared/schemas/preference.ts';
import type { Dimension } from './dimension.ts';
import { DimensionLibrary } from './dimension-library.ts';
import type { PlannedProblem } from './generation-state.ts';
import { PreferenceHistory } from './preference-history.ts';
import { sampleWithoutReplacement, rngFor } from './seeded.ts';

/** One record to make: a sampled problem and one of its personas, at a fixed position in the output. */
export interface Pair {
  problemId: string;
  problemIndex: number;
  personaId: string;
  /** Position in plan order: problems in sampled order, each problem's personas in drawn order. */
  order: number;
  /** Which batch the pair belongs to; fixed by its position, so a rerun batches it the same way. */
  batch: number;
}

export function problemIdOf(index: number, personaId: string): string {
  return `problem_${index}_${personaId}`;
}

/** For each sampled problem, `perProblem` personas drawn without replacement with its own seeded generator. */
export function drawPlan(
  problems: { line: number }[],
  personaIds: string[],
  perProblem: number,
  seed: number,
): PlannedProblem[] {
  const ids = [...personaIds].sort();
  return problems.map((p, index) => ({
    index,
    line: p.line,
    personaIds: sampleWithoutReplacement(ids, perProblem, rngFor(seed, `personas:${index}`)),
  }));
}

export function pairsOf(plan: PlannedProblem[], batchSize: number): Pair[] {
  const pairs: Pair[] = [];
  for (const problem of plan) {
    for (const personaId of problem.personaIds) {
      const order = pairs.length;
      pairs.push({
        problemId: problemIdOf(problem.index, personaId),
        problemIndex: problem.index,
        personaId,
        order,
        batch: Math.floor(order / batchSize),
      });
    }
  }
  return pairs;
}

export function generalAsDimensions(general: Record<string, GeneralDimension>): Dimension[] {
  return Object.entries(general).map(([name, g]) => ({
    name,
    description: g.description ?? '',
    value_range: g.value_range ?? '',
    type: 'general',
  }));
}

function recordDimensions(record: BenchmarkRecord): Dimension[] {
  return Object.entries(record.persona_preferences).map(([name, p]) => ({
    name,
    description: p.description ?? '',
    value_range: p.value_range ?? '',
    type: p.type,
  }));
}

/**
 * What a batch starts from: the dimension library and each persona's earlier preferences as they stood after every
 * earlier batch. Rebuilt from the records of earlier batches (in plan order) rather than kept in memory, so a resumed
 * run starts a half-done batch from exactly the state the interrupted run started it from.
 */
export function batchSnapshot(
  batch: number,
  records: Map<string, BenchmarkRecord>,
  pairs: Pair[],
  base: { library: Dimension[]; general: Record<string, GeneralDimension> },
): { library: DimensionLibrary; history: PreferenceHistory } {
  const library = new DimensionLibrary([...base.library, ...generalAsDimensions(base.general)]);
  const history = new PreferenceHistory();
  for (const pair of pairs) {
    if (pair.batch >= batch) break;
    const record = records.get(pair.problemId);
    if (!record) continue;
    for (const d of recordDimensions(record)) library.add(d);
    history.add(pair.personaId, record.persona_preferences);
  }
  return { library, history };
}
