import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../server/config.ts';
import {
  startFakeOpenAiServer,
  type ChatRequestBody,
  type FakeOpenAiServer,
  type PlannedReply,
} from '../support/fake-openai-server.ts';
import { runCli } from '../support/run-cli.ts';
import { tempDir, writeFile } from '../support/temp-files.ts';

const dir = tempDir();
const EXAMPLE = join(PROJECT_ROOT, 'data', 'generation-example', 'five-questions.json');

function jsonLines(file: string): Record<string, unknown>[] {
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>)
    : [];
}

describe('prefdisco generate with the scripted model (the docs example)', () => {
  it('generates the five-question example, which validates and runs through prefdisco run', async () => {
    const out = join(dir, 'example');
    const gen = await runCli(['generate', '--config', EXAMPLE, '--model', 'scripted', '--out', out]);
    expect(gen.code).toBe(0);
    expect(gen.stdout).toContain('questions.csv: 5 rows, 5 usable, 0 skipped; 5 sampled');
    expect(gen.stdout).toMatch(/finished: 10 records written, 0 failed, 0 already in .*\(10 of 10\)/);
    expect(gen.stdout).toContain('10 records, 0 errors, 0 warnings');
    const file = join(out, 'personalized_five-questions.jsonl');
    // The scripted model is deterministic, so the example always produces these bytes; another hash means the
    // pipeline, the CSV reader or a prompt changed what is written.
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(
      '8a1ad93d3e57d4fe5b965c984828bbc847d1afa294d46fbfc63d038eafa68db6',
    );

    const validate = await runCli(['validate', file]);
    expect(validate.code).toBe(0);
    expect(validate.stdout).toContain('valid: 10 records (metadata: 1, personalized_problem: 10)');

    const run = await runCli([
      'run',
      file,
      '--model',
      'scripted',
      '--judge',
      'scripted',
      '--out',
      join(out, 'results.jsonl'),
      '--no-db',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('finished: 30 episodes done, 0 failed');
  });

  it('reports bad source rows by line with the reason and a count; usage errors exit 2', async () => {
    const csv = writeFile(
      dir,
      'bad.csv',
      'question,answer\nWhat is 1+1?,2\n"Multi\nline",\nNo comma here\nWhat is 2+2?,4\n',
    );
    const config = writeFile(
      dir,
      'bad.json',
      JSON.stringify({
        task: 'bad',
        source: { file: csv, shape: 'simpleqa', fields: { problem: 'question' } },
        sampleSize: 5,
        personasPerProblem: 1,
        preferences: { dimensionsPerProblem: 3, generalDimensions: 0 },
      }),
    );
    const r = await runCli(['generate', '--config', config, '--model', 'scripted', '--out', join(dir, 'bad-out')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('4 rows, 2 usable, 2 skipped; 2 sampled');
    expect(r.stderr).toContain(`${csv}:3: skipped: missing answer (column "answer")`);
    expect(r.stderr).toContain(`${csv}:5: skipped: has 1 fields, the header has 2`);
    expect(jsonLines(join(dir, 'bad-out', 'personalized_bad_skipped_rows.jsonl'))).toHaveLength(2);

    const noOut = await runCli(['generate', '--config', config, '--model', 'scripted']);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('generate needs --out DIR');
    const typo = writeFile(
      dir,
      'typo.json',
      JSON.stringify({ task: 't', source: { file: csv, shape: 'simpleqa', fields: { questoin: 'question' } } }),
    );
    const bad = await runCli(['generate', '--config', typo, '--model', 'scripted', '--out', join(dir, 'typo')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"questoin" is not a field of the simpleqa shape');
  });
});

/** Persona names whose instantiation replies are broken: once (then fixed on the retry), or always. */
interface Faults {
  onceFor?: string;
  alwaysFor?: string;
}

function text(content: unknown): string {
  return typeof content === 'string' ? content : JSON.stringify(content);
}

/** Lines of a prompt section: the "- " lines after `heading` up to the next blank line. */
function section(prompt: string, heading: string): string[] {
  const start = prompt.indexOf(heading);
  if (start < 0) return [];
  const lines = prompt
    .slice(start + heading.length)
    .split('\n')
    .slice(1);
  const end = lines.findIndex((l) => l.trim() === '');
  return (end < 0 ? lines : lines.slice(0, end)).filter((l) => l.startsWith('- '));
}

/** Answers each generation prompt as a well-behaved model would, reading only what the prompt says. */
function generationResponder(faults: Faults) {
  return (body: ChatRequestBody): PlannedReply => {
    const prompt = text(body.messages.find((m) => m.role === 'user')?.content);
    const retry = body.messages.some((m) => m.role === 'assistant');
    const persona = /^Name: (.+)$/m.exec(prompt)?.[1] ?? '';
    const reply = (value: unknown): PlannedReply => ({
      kind: 'text',
      text: JSON.stringify(value),
      usage: { prompt: 10, completion: 10 },
    });
    if (prompt.includes('apply to every problem in this dataset')) {
      const n = Number(/exactly (\d+) dimensions/.exec(prompt)?.[1]);
      return reply({
        dimensions: Array.from({ length: n }, (_, i) => ({
          name: `General ${i + 1}`,
          description: 'd',
          value_range: '1-5',
          global_importance: 3,
        })),
      });
    }
    if (prompt.includes('preference dimensions describing')) {
      const n = Number(/exactly (\d+) preference dimensions/.exec(prompt)?.[1]);
      const experts = Number(/Between (\d+) and/.exec(prompt)?.[1]);
      return reply({
        dimensions: Array.from({ length: n }, (_, i) => ({
          name: i < experts ? `Comfort with Idea ${i + 1}` : `Preference for ${persona.split(' ')[0]} Topic ${i + 1}`,
          description: 'what it is',
          value_range: '1-5 (1: low, 5: high)',
          type: i < experts ? 'expertise' : 'personal',
        })),
      });
    }
    if (prompt.includes('A library of preference dimensions')) return reply({ decisions: [] });
    if (prompt.includes('DIMENSIONS TO FILL IN')) {
      const names = section(prompt, 'DIMENSIONS TO FILL IN').map((l) => l.slice(2).split(' | ')[0] as string);
      if (persona === faults.alwaysFor || (persona === faults.onceFor && !retry))
        return reply({ preferences: { [names[0] ?? 'x']: { value: 3, local_importance: 3, justification: 'j' } } });
      return reply({
        preferences: Object.fromEntries(
          names.map((n, i) => [
            n,
            { value: 1 + (i % 5), local_importance: 1 + (i % 5), justification: `because ${n}`, type: 'personal' },
          ]),
        ),
      });
    }
    if (prompt.includes('PREFERENCES (one criterion for each')) {
      const names = section(prompt, 'PREFERENCES (one criterion for each').map(
        (l) => /^- (.+?) \(weight/.exec(l)?.[1] ?? '',
      );
      return reply({
        evaluation_criteria: names.map((n) => ({
          preference: n,
          description: `look for ${n}`,
          weight: 0.5,
          levels: [1, 3, 5].map((score) => ({ score, description: `level ${score}` })),
        })),
      });
    }
    return { kind: 'status', status: 400, message: `unexpected prompt: ${prompt.slice(0, 80)}` };
  };
}

describe('prefdisco generate against an OpenAI-compatible server (the real HTTP provider path)', () => {
  let server: FakeOpenAiServer;
  const personas = join(dir, 'two-personas');
  const source = writeFile(
    dir,
    'two.csv',
    'q,a\nWhat is the boiling point of water at sea level?,100 °C\nWho painted the Mona Lisa?,Leonardo da Vinci\n',
  );
  const config = writeFile(
    dir,
    'http.json',
    JSON.stringify({
      task: 'http',
      source: { file: source, shape: 'simpleqa', fields: { problem: 'q', answer: 'a' } },
      sampleSize: 2,
      seed: 5,
      personasPerProblem: 2,
      personas: { dir: personas },
      preferences: { dimensionsPerProblem: 4, generalDimensions: 1 },
      batchSize: 2,
    }),
  );
  const models = (extra: Record<string, unknown> = {}): string =>
    writeFile(
      dir,
      `models-${Object.keys(extra).length}.json`,
      JSON.stringify({
        models: [
          {
            name: 'gen',
            provider: 'openai-compatible',
            model: 'gen-model',
            baseUrl: server.baseUrl,
            maxRetries: 0,
            ...extra,
          },
        ],
      }),
    );
  let names: string[] = [];

  beforeAll(async () => {
    server = await startFakeOpenAiServer();
    mkdirSync(personas);
    for (const f of ['chen_1fbf586b.json', 'okafor_3b09eb59.json'])
      copyFileSync(join(PROJECT_ROOT, 'personas', f), join(personas, f));
    names = readdirSync(personas).map(
      (f) => (JSON.parse(readFileSync(join(personas, f), 'utf8')) as { name: string }).name,
    );
  });
  afterAll(async () => {
    await server.close();
  });

  it('an invalid reply is retried; one that never validates lands in the failures file; the rerun completes without duplicates', async () => {
    server.respondWith(generationResponder({ onceFor: names[0], alwaysFor: names[1] }));
    const out = join(dir, 'http-out');
    const env = { PREFDISCO_MODELS_FILE: models() };
    const first = await runCli(['generate', '--config', config, '--model', 'gen', '--out', out], env);
    expect(first.stderr).not.toContain('Error');
    expect(first.code).toBe(1);
    expect(first.stdout).toContain('finished: 2 records written, 2 failed');
    expect(
      server.requests.some((r) =>
        r.body.messages.some((m) => text(m.content).includes('That reply could not be used')),
      ),
    ).toBe(true);
    const failures = jsonLines(join(out, 'personalized_http_failures.jsonl'));
    expect(failures).toHaveLength(2);
    expect(failures.map((f) => [f.stage, f.reason])).toEqual([
      ['preferences', 'no valid preferences output after 3 tries'],
      ['preferences', 'no valid preferences output after 3 tries'],
    ]);
    expect(String((failures[0]?.issues as string[])[2])).toMatch(/^attempt 3: \$\.preferences: missing "/);
    const records = jsonLines(join(out, 'personalized_http.jsonl')).slice(1);
    expect(records).toHaveLength(2);
    expect(records.every((r) => (r.persona as { name: string }).name === names[0])).toBe(true);
    // "Preference for X" names came back from the model; the records carry the stripped names.
    expect(Object.keys(records[0]?.persona_preferences as object).some((k) => k.startsWith('Preference'))).toBe(false);
    expect(Object.keys(records[0]?.persona_preferences as object)).toContain(`${names[0]?.split(' ')[0]} Topic 3`);

    server.respondWith(generationResponder({}));
    const rerun = await runCli(['generate', '--config', config, '--model', 'gen', '--out', out], env);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toContain('finished: 2 records written, 0 failed, 2 already in');
    const all = jsonLines(join(out, 'personalized_http.jsonl'));
    expect(all[0]?.type).toBe('metadata');
    expect(new Set(all.slice(1).map((r) => r.problem_id)).size).toBe(4);
    expect((await runCli(['validate', join(out, 'personalized_http.jsonl')])).code).toBe(0);
  });

  it('the spend cap stops the run cleanly (exit 3) and the same command continues it once the cap allows', async () => {
    server.respondWith(generationResponder({}));
    const out = join(dir, 'capped');
    const capped = await runCli(
      ['generate', '--config', config, '--model', 'gen', '--out', out, '--concurrency', '1'],
      { PREFDISCO_MODELS_FILE: models({ pricePerMillion: { input: 1000, output: 1000 }, spendCapUsd: 0.3 }) },
    );
    expect(capped.code).toBe(3);
    expect(capped.stdout).toMatch(/stopped: spend cap of \$0\.3 reached for model "gen"/);
    const kept = jsonLines(join(out, 'personalized_http.jsonl')).slice(1);
    expect(kept.length).toBeGreaterThanOrEqual(1);
    expect(kept.length).toBeLessThan(4);
    expect(jsonLines(join(out, 'personalized_http_failures.jsonl'))).toHaveLength(0);

    const rerun = await runCli(['generate', '--config', config, '--model', 'gen', '--out', out], {
      PREFDISCO_MODELS_FILE: models(),
    });
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toContain(`${4 - kept.length} records written, 0 failed, ${kept.length} already in`);
    expect(
      new Set(
        jsonLines(join(out, 'personalized_http.jsonl'))
          .slice(1)
          .map((r) => r.problem_id),
      ).size,
    ).toBe(4);
  });
});
