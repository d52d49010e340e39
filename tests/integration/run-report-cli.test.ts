import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../server/config.ts';
import type { MetricsReport } from '../../shared/stats/index.ts';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fake-openai-server.ts';
import { roleResponder } from '../support/role-responder.ts';
import { BIN, runCli } from '../support/run-cli.ts';
import { tempDir, writeFile } from '../support/temp-files.ts';

const dir = tempDir();
const SAMPLE = join(PROJECT_ROOT, 'data', 'sample-benchmark.jsonl');

function countLines(file: string): number {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0;
}

describe('prefdisco run + report with the scripted model on the sample', () => {
  it('runs all three conditions and reports oracle > discovery > baseline', async () => {
    const out = join(dir, 'r.jsonl');
    const run = await runCli([
      'run',
      SAMPLE,
      '--model',
      'scripted',
      '--judge',
      'scripted',
      '--out',
      out,
      '--db',
      join(dir, 'run.sqlite'),
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('finished: 192 episodes done, 0 failed');
    expect(run.stderr).toContain('"scripted" is the offline test model');
    expect(countLines(out)).toBe(192);

    const report = await runCli(['report', out, '--json']);
    expect(report.code).toBe(0);
    const metrics = JSON.parse(report.stdout) as MetricsReport;
    const pooled = metrics.groups.find((g) => g.task === '*');
    const mean = (condition: string): number =>
      pooled?.conditions.find((c) => c.condition === condition)?.prefAlign.estimate ?? NaN;
    expect(mean('oracle')).toBeGreaterThan(mean('discovery'));
    expect(mean('discovery')).toBeGreaterThan(mean('baseline'));
    expect(
      metrics.groups
        .filter((g) => g.task !== '*')
        .map((g) => g.task)
        .sort(),
    ).toEqual([
      'aime',
      'commonsenseqa',
      'logiqa',
      'mascqa',
      'math',
      'medqa',
      'mmlu',
      'scienceqa',
      'simpleqa',
      'socialiqa',
    ]);

    const table = await runCli(['report', out]);
    expect(table.stdout).toContain('note: scripted is a test model');
    expect(table.stdout).toMatch(/scripted · all tasks pooled · 64 records/);
    expect(table.stdout).toMatch(/discovery \(passive_nostop\) vs baseline, 64 paired records: normalized alignment/);
  });

  it('usage errors exit 2 and name the flag; an unknown model names the declared ones', async () => {
    const noOut = await runCli(['run', SAMPLE, '--model', 'scripted', '--judge', 'scripted']);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('run needs --out FILE');
    const badMode = await runCli([
      'run',
      SAMPLE,
      '--model',
      'scripted',
      '--judge',
      'scripted',
      '--out',
      join(dir, 'x.jsonl'),
      '--modes',
      'guess',
    ]);
    expect(badMode.stderr).toContain('--modes: expected one or more of no_prompt, persona_known, infer_persona');
    const unknown = await runCli([
      'run',
      SAMPLE,
      '--model',
      'gpt-9',
      '--judge',
      'scripted',
      '--out',
      join(dir, 'y.jsonl'),
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown model "gpt-9"; declared models: scripted');
  });

  it('report names broken lines of a results file', async () => {
    const file = writeFile(dir, 'broken-results.jsonl', '{"problem_id": "p"}\nnot json\n');
    const r = await runCli(['report', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}:1: skipped: not a result line`);
    expect(r.stderr).toContain(`${file}:2: skipped: not valid JSON`);
  });
});

describe('Ctrl-C and resume from the CLI, with an HTTP model', () => {
  let server: FakeOpenAiServer;
  beforeAll(async () => {
    server = await startFakeOpenAiServer();
    server.respondWith(roleResponder({ delayMs: 15 }));
  });
  afterAll(async () => {
    await server.close();
  });

  it('SIGINT stops the run (exit 130) with finished episodes kept; the same command resumes and completes', async () => {
    const models = writeFile(
      dir,
      'models.json',
      JSON.stringify({
        models: [
          { name: 'mut', provider: 'openai-compatible', model: 'mut', baseUrl: server.baseUrl, maxRetries: 0 },
          { name: 'judge', provider: 'openai-compatible', model: 'judge', baseUrl: server.baseUrl, maxRetries: 0 },
        ],
      }),
    );
    const out = join(dir, 'interrupted.jsonl');
    const args = [
      BIN,
      'run',
      SAMPLE,
      '--model',
      'mut',
      '--judge',
      'judge',
      '--out',
      out,
      '--modes',
      'no_prompt,persona_known',
      '--max-problems',
      '12',
      '--concurrency',
      '2',
      '--no-db',
    ];
    const env = { ...process.env, PREFDISCO_MODELS_FILE: models };
    const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, env });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const timer = setInterval(() => {
        if (countLines(out) >= 2) {
          clearInterval(timer);
          resolve();
        } else if (Date.now() - started > 20_000) {
          clearInterval(timer);
          reject(new Error(`no results appeared:\n${stderr}`));
        }
      }, 20);
    });
    child.kill('SIGINT');
    expect(await exit).toBe(130);
    expect(stderr).toContain('interrupted');
    const kept = countLines(out);
    expect(kept).toBeGreaterThanOrEqual(2);
    expect(kept).toBeLessThan(24);

    const rerun = await runCli(args.slice(1), { PREFDISCO_MODELS_FILE: models });
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toContain(`${kept} already in`);
    expect(countLines(out)).toBe(24);
  });
});
