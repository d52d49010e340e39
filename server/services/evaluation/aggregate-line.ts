import type { AggregateLine, EvalResult } from '../../../shared/schemas/evaluation.ts';

interface Group {
  scores: number[];
  correct: number[];
}

function averages(group: Group): { average_score: number; average_correctness: number; evaluations: number } {
  const mean = (xs: number[]): number => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
  return {
    average_score: mean(group.scores),
    average_correctness: mean(group.correct),
    evaluations: group.scores.length,
  };
}

function correctBit(c: EvalResult['correct']): number | null {
  if (c === null || c === undefined) return null;
  return c === true || c === 1 ? 1 : 0;
}

/**
 * The reference's end-of-run aggregate line (docs/engine.md), over every result in the file (earlier runs included),
 * with plain arithmetic means. Results whose correctness is still unknown (null) are left out of the correctness
 * averages.
 */
export function aggregateLine(
  model: string,
  results: EvalResult[],
  shardInfo?: Record<string, unknown>,
): AggregateLine {
  const byMode = new Map<string, Group>();
  const byPrompt = new Map<string, Group>();
  const byModePrompt = new Map<string, Group>();
  const all: Group = { scores: [], correct: [] };
  const turns: number[] = [];
  const add = (map: Map<string, Group>, key: string, r: EvalResult): void => {
    const g = map.get(key) ?? { scores: [], correct: [] };
    g.scores.push(r.weighted_score);
    const c = correctBit(r.correct);
    if (c !== null) g.correct.push(c);
    map.set(key, g);
  };
  for (const r of results) {
    all.scores.push(r.weighted_score);
    const c = correctBit(r.correct);
    if (c !== null) all.correct.push(c);
    turns.push(r.evaluation.interaction_turns);
    add(byMode, r.mode, r);
    add(byPrompt, r.user_type, r);
    add(byModePrompt, `${r.mode}_${r.user_type}`, r);
  }
  const overall = averages(all);
  const record = (map: Map<string, Group>): AggregateLine['per_mode_results'] =>
    Object.fromEntries([...map].map(([k, g]) => [k, averages(g)]));
  return {
    model,
    problems_evaluated: results.length,
    average_score_overall: overall.average_score,
    average_turns_overall: turns.length === 0 ? 0 : turns.reduce((a, b) => a + b, 0) / turns.length,
    average_correctness_overall: overall.average_correctness,
    per_mode_results: record(byMode),
    per_prompt_results: record(byPrompt),
    per_mode_prompt_results: record(byModePrompt),
    ...(shardInfo ? { shard_info: shardInfo } : {}),
    timestamp: Date.now() / 1000,
  };
}
