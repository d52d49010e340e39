import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelRequest } from '../../server/models/model-provider.ts';
import { profileFloatPaths } from '../../server/services/benchmark/profile-floats.ts';
import { runBatch } from '../../server/services/evaluation/batch-run.ts';
import { validateBenchmarkFile } from '../../server/services/benchmark/validate-benchmark-file.ts';
import { RecordingProvider } from '../support/recording-provider.ts';
import { runCli } from '../support/run-cli.ts';
import { exampleRecord } from '../support/records.ts';
import { tempDir, writeFile } from '../support/temp-files.ts';

const dir = tempDir('prefdisco-floats-');

/** A record line whose first preference value is written `4.0`, as Python's json writes a float. */
function floatLine(): { text: string; preference: string } {
  const record = exampleRecord(0);
  const [preference] = Object.keys(record.persona_preferences);
  const p = preference === undefined ? undefined : record.persona_preferences[preference];
  if (preference === undefined || !p) throw new Error('the example record has no preference');
  // A number found nowhere else in the line, then written as a float.
  p.value = 987654;
  return { text: JSON.stringify(record).replace('"value":987654', '"value":4.0'), preference };
}

function answer(request: ModelRequest): string {
  if (request.purpose === 'simulated_user') return '{"thought": "t", "response": "Short, please."}';
  if (request.purpose === 'rubric_judge') return '{"score": 4, "justification": "fits"}';
  if (request.purpose === 'correctness_judge') return '{"justification": "ok", "correct": 1}';
  if (request.purpose === 'disclosure_labeler') return '{"asked": [], "revealed": []}';
  const asked = request.messages.filter((m) => m.role === 'assistant').length;
  return asked === 0 && request.messages[0]?.role === 'system' && request.messages[0].content.includes('###ACTION###')
    ? "###ACTION###: 'ask_question'\n###RESPONSE###: How much detail?"
    : "###ACTION###: 'final_answer'\n###RESPONSE###: The answer.";
}

describe('a record line that writes 4.0 keeps it in the persona profile of a run', () => {
  const { text, preference } = floatLine();
  const bench = writeFile(dir, 'floats.jsonl', `${text}\n`);

  it('validation carries the float positions of the persona and preferences, and nothing else', async () => {
    expect(text).toMatch(/"value":4\.0/);
    const paths = profileFloatPaths(text);
    expect([...paths]).toEqual([`$["persona_preferences"][${JSON.stringify(preference)}]["value"]`]);
    const report = await validateBenchmarkFile(bench, { collect: true, skipImages: true, profileFloats: true });
    expect(report.recordFloats).toEqual([paths]);
    // Plain validation (`prefdisco validate`) does not ask for them and does not pay for the scan.
    const imported = await validateBenchmarkFile(bench, { collect: true, skipImages: true });
    expect(imported.recordFloats.map((f) => f.size)).toEqual([0]);
    expect(profileFloatPaths(JSON.stringify(exampleRecord(0))).size).toBe(0);
  });

  it('the oracle and the simulated user see 4.0 where the file has it, as the reference prints it', async () => {
    const assistant = new RecordingProvider(answer, 'mut');
    const judge = new RecordingProvider(answer, 'judge');
    const summary = await runBatch({
      benchmarkFile: bench,
      outFile: join(dir, 'out.jsonl'),
      models: { assistant, judge, simulator: judge },
      modes: ['persona_known', 'infer_persona'],
      userTypes: ['passive_nostop'],
      maxTurns: 5,
      fixedQuestions: null,
      maxProblems: null,
      seed: 42,
      shard: null,
      concurrency: 1,
      referenceQuirks: false,
      skipImages: true,
      storage: null,
      signal: new AbortController().signal,
    });
    expect(summary).toMatchObject({ done: 2, failed: 0 });
    const expected = `${JSON.stringify(preference).replace(/"/g, "'")}: {'name': `;
    const oracle = assistant.requests.find((r) => r.messages[0]?.content.includes('PREFERECES:'));
    const simulator = judge.requests.find((r) => r.purpose === 'simulated_user');
    for (const prompt of [oracle?.messages[0]?.content ?? '', simulator?.messages[0]?.content ?? '']) {
      const start = prompt.indexOf(expected);
      expect(start).toBeGreaterThan(-1);
      const entry = prompt.slice(start, prompt.indexOf('}', start));
      expect(entry).toContain("'value': 4.0,");
    }
  });

  it('prompts show prints the profile with 4.0 too', async () => {
    const id = exampleRecord(0).problem_id;
    const r = await runCli(['prompts', 'show', '--record', id, '--mode', 'persona_known', '--benchmark', bench]);
    expect(r.code).toBe(0);
    const start = r.stdout.indexOf(`${JSON.stringify(preference).replace(/"/g, "'")}: {'name': `);
    expect(start).toBeGreaterThan(-1);
    expect(r.stdout.slice(start, r.stdout.indexOf('}', start))).toContain("'value': 4.0,");
  }, 120_000);
});
