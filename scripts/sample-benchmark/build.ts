import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonPath } from '../../shared/benchmark/issues.ts';
import { CARETAKER_CONTEXT, SOURCE_TASKS, type SourceTask } from '../../shared/benchmark/source-task.ts';
import type { LibraryPersona } from '../../shared/schemas/persona.ts';
import { SampleProblemSourceSchema, type SampleProblemSource } from './source-schema.ts';

export const SAMPLE_DATASET = 'prefdisco-live/hand-written-sample';

function readSources(srcDir: string): SampleProblemSource[] {
  const files = readdirSync(srcDir)
    .filter((f) => /^problem-\d+\.json$/.test(f))
    .sort();
  const sources = files.map((file) => {
    const parsed = SampleProblemSourceSchema.safeParse(JSON.parse(readFileSync(join(srcDir, file), 'utf8')));
    if (!parsed.success) {
      const lines = parsed.error.issues.map((i) => `${file}: ${jsonPath(i.path)}: ${i.message}`);
      throw new Error(`invalid sample source:\n  ${lines.join('\n  ')}`);
    }
    return parsed.data;
  });
  const indexes = sources.map((s) => s.index);
  if (new Set(indexes).size !== indexes.length) throw new Error('two sample sources share an index');
  return sources.sort((a, b) => a.index - b.index);
}

/** Rubric weight as the reference generator's prompt supplies it: local_importance / Σ local_importance, 3 decimals. */
function weightOf(importance: number, total: number): number {
  return Math.round((importance / total) * 1000) / 1000;
}

/**
 * Assembles the hand-written sources and the persona library into a reference-format benchmark file (JSONL text):
 * a metadata line, then one `personalized_problem` per (problem, persona) with the full persona embedded.
 */
export function buildSampleBenchmark(srcDir: string, personas: LibraryPersona[]): string {
  const byId = new Map(personas.map((p) => [p.id, p]));
  const sources = readSources(srcDir);
  const lines: string[] = [];
  const tasks = [...new Set(sources.map((s) => s.task))];
  lines.push(
    JSON.stringify({
      type: 'metadata',
      dataset: SAMPLE_DATASET,
      general_preferences: {},
      total_personas_in_library: personas.length,
      fixed_persona_library: true,
      personas_per_problem: Math.max(...sources.map((s) => s.variants.length)),
      sample_size: sources.length,
      hand_written_sample: true,
      note: 'Hand-written sample for demos and tests, written by the PrefDisco Live team. Not the released PrefDisco benchmark: never report research numbers on it.',
      source_tasks: tasks,
    }),
  );

  for (const source of sources) {
    // The sample's medical questions were written as a caretaker's consultation (their preferences are a relative's),
    // as the reference generator frames its multimedqa sources; other tasks keep their own context.
    const problemContext =
      source.task === 'medqa' ? CARETAKER_CONTEXT : SOURCE_TASKS[source.task as SourceTask].problemContext;
    for (const variant of source.variants) {
      const persona = byId.get(variant.persona_id);
      if (!persona)
        throw new Error(`problem-${source.index}: persona "${variant.persona_id}" is not in the persona library`);
      const total = variant.preferences.reduce((sum, p) => sum + p.local_importance, 0);
      const preferences = Object.fromEntries(
        variant.preferences.map((p) => [
          p.name,
          {
            name: p.name,
            description: p.description,
            value_range: p.value_range,
            value: p.value,
            local_importance: p.local_importance,
            justification: p.justification,
            type: p.type,
            problem_context: problemContext,
          },
        ]),
      );
      const criteria = variant.preferences.map((p) => ({
        preference: p.name,
        description: p.criterion.description,
        weight: weightOf(p.local_importance, total),
        levels: ([1, 3, 5] as const).map((score) => ({ score, description: p.criterion.levels[score] })),
      }));
      lines.push(
        JSON.stringify({
          type: 'personalized_problem',
          problem_id: `problem_${source.index}_${persona.id}`,
          original_problem: source.original_problem,
          persona,
          persona_preferences: preferences,
          evaluation_rubric: { evaluation_criteria: criteria },
          generation_success: true,
        }),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
