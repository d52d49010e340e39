import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { LibraryPersona } from '../../shared/schemas/persona.ts';

/** Deterministic filler text of a given length, so file sizes are the same on every run. */
function words(seed: number, length: number): string {
  const vocabulary = [
    'explain',
    'step',
    'triangle',
    'confidence',
    'analogy',
    'honeycomb',
    'patient',
    'ratio',
    'diagram',
    'gentle',
    'precise',
    'story',
  ];
  let out = '';
  let i = seed;
  while (out.length < length) {
    out += `${vocabulary[i % vocabulary.length]} `;
    i = (i * 7 + 3) % 1009;
  }
  return out.slice(0, length).trim();
}

/**
 * Writes a benchmark file shaped like the released 5K sets: 100 problems × 50 personas, 20 preferences per record
 * (2–3 expertise), a rubric with one criterion per preference and levels 1/3/5. About 18 KB per record.
 */
export async function writeSyntheticBenchmark(
  file: string,
  personas: LibraryPersona[],
  records: number,
): Promise<number> {
  const out = createWriteStream(file);
  let bytes = 0;
  const write = async (value: unknown): Promise<void> => {
    const line = `${JSON.stringify(value)}\n`;
    bytes += Buffer.byteLength(line);
    if (!out.write(line)) await once(out, 'drain');
  };
  await write({
    type: 'metadata',
    dataset: 'lighteval/mmlu',
    general_preferences: {},
    personas_per_problem: 50,
    sample_size: 100,
    synthetic_benchmark_file: true,
  });
  for (let r = 0; r < records; r++) {
    const problem = r % 100;
    const persona = personas[r % personas.length] as LibraryPersona;
    const personaId = `${persona.id.split('_')[0]}${Math.floor(r / personas.length)}_${persona.id.split('_')[1]}`;
    const importances = Array.from({ length: 20 }, (_, i) => ((r + i * 3) % 5) + 1);
    const total = importances.reduce((a, b) => a + b, 0);
    const names = importances.map((_, i) => `Dimension ${i} ${words(r + i, 18)}`);
    await write({
      type: 'personalized_problem',
      problem_id: `problem_${problem}_${personaId}`,
      original_problem: {
        question: `Question ${problem}: ${words(problem, 300)}?`,
        subject: 'high_school_physics',
        choices: ['a', 'b', 'c', 'd'],
        answer: problem % 4,
      },
      persona: { ...persona, id: personaId },
      persona_preferences: Object.fromEntries(
        names.map((name, i) => [
          name,
          {
            name,
            description: words(i, 100),
            value_range: '1-5 (1: low, 5: high)',
            value: (i % 5) + 1,
            local_importance: importances[i],
            justification: words(r * 3 + i, 220),
            type: i < 3 ? 'expertise' : 'personal',
            problem_context: 'question',
          },
        ]),
      ),
      evaluation_rubric: {
        evaluation_criteria: names.map((name, i) => ({
          preference: name,
          description: words(i + 5, 120),
          weight: Math.round(((importances[i] ?? 1) / total) * 1000) / 1000,
          levels: [1, 3, 5].map((score) => ({ score, description: words(i * score, 110) })),
        })),
      },
      generation_success: true,
    });
  }
  out.end();
  await once(out, 'finish');
  return bytes;
}
