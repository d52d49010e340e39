import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeProblem } from '../../shared/benchmark/normalize-problem.ts';
import { detectSourceTask } from '../../shared/benchmark/source-task.ts';
import type { BenchmarkRecord } from '../../shared/schemas/benchmark.ts';
import { PROJECT_ROOT } from '../../server/config.ts';
import { validateBenchmarkFile } from '../../server/services/benchmark/validate-benchmark-file.ts';
import { loadPersonaLibrary } from '../../server/services/persona-library.ts';
import { buildSampleBenchmark } from '../../scripts/sample-benchmark/build.ts';

const SAMPLE = join(PROJECT_ROOT, 'data', 'sample-benchmark.jsonl');

describe('the shipped sample benchmark', () => {
  it('is exactly what the builder makes from data/sample-src and personas/ (run `npm run build:sample` after edits)', async () => {
    const personas = await loadPersonaLibrary(join(PROJECT_ROOT, 'personas'));
    expect(readFileSync(SAMPLE, 'utf8')).toBe(buildSampleBenchmark(join(PROJECT_ROOT, 'data', 'sample-src'), personas));
  });

  it('validates with no errors and no warnings', async () => {
    const report = await validateBenchmarkFile(SAMPLE);
    expect(report.issues).toEqual([]);
    expect(report.countsByType).toEqual({ metadata: 1, personalized_problem: report.recordCount });
  });

  it('says it is a hand-written sample, not the released benchmark', async () => {
    const report = await validateBenchmarkFile(SAMPLE);
    expect(report.metadata).toMatchObject({ hand_written_sample: true, dataset: 'prefdisco-live/hand-written-sample' });
    expect(String(report.metadata?.note)).toMatch(/not the released PrefDisco benchmark/i);
  });

  it('covers ≥ 16 problems from ≥ 6 source shapes, each with ≥ 4 personas (≥ 64 records)', async () => {
    const report = await validateBenchmarkFile(SAMPLE, { collect: true });
    const byProblem = new Map<string, Set<string>>();
    for (const r of report.records) {
      const key = JSON.stringify(r.original_problem);
      byProblem.set(key, (byProblem.get(key) ?? new Set()).add(r.persona.id));
    }
    expect(report.records.length).toBeGreaterThanOrEqual(64);
    expect(byProblem.size).toBeGreaterThanOrEqual(16);
    for (const personas of byProblem.values()) expect(personas.size).toBeGreaterThanOrEqual(4);
    const shapes = new Set(report.records.map((r) => detectSourceTask(r.original_problem)));
    expect(shapes.has('unknown')).toBe(false);
    expect(shapes.size).toBeGreaterThanOrEqual(6);
  });

  it('every record: ≥ 8 preferences, 2–3 expertise, spread importance, weights = importance / Σ importance, levels 1/3/5', async () => {
    const { records } = await validateBenchmarkFile(SAMPLE, { collect: true });
    for (const r of records as BenchmarkRecord[]) {
      const prefs = Object.entries(r.persona_preferences);
      expect(prefs.length, r.problem_id).toBeGreaterThanOrEqual(8);
      const expertise = prefs.filter(([, p]) => p.type === 'expertise').length;
      expect(expertise, r.problem_id).toBeGreaterThanOrEqual(2);
      expect(expertise, r.problem_id).toBeLessThanOrEqual(3);
      expect(prefs.every(([, p]) => p.type === 'expertise' || p.type === 'personal')).toBe(true);
      expect(new Set(prefs.map(([, p]) => p.local_importance)).size, r.problem_id).toBeGreaterThanOrEqual(3);
      const total = prefs.reduce((s, [, p]) => s + p.local_importance, 0);
      const criteria = r.evaluation_rubric.evaluation_criteria;
      expect(criteria.map((c) => c.preference)).toEqual(prefs.map(([name]) => name));
      for (const c of criteria) {
        const importance = r.persona_preferences[c.preference]?.local_importance ?? NaN;
        expect(c.weight).toBeCloseTo(importance / total, 3);
        expect(c.levels.map((l) => l.score)).toEqual([1, 3, 5]);
      }
      for (const [, p] of prefs) {
        if (typeof p.value === 'number') expect(Number.isInteger(p.value) && p.value >= 1 && p.value <= 5).toBe(true);
        else expect(p.value_range?.toLowerCase(), `${r.problem_id} ${p.name}`).toContain(p.value.toLowerCase());
      }
    }
  });

  it('every multiple-choice gold answer names an existing option', async () => {
    const { records } = await validateBenchmarkFile(SAMPLE, { collect: true });
    for (const r of records) {
      const problem = normalizeProblem(r);
      expect(problem.answer, r.problem_id).not.toBe('');
      if (Object.keys(problem.options).length > 0)
        expect(Object.keys(problem.options), r.problem_id).toContain(String(problem.answer));
    }
  });
});
