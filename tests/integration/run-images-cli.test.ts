import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { normalizeProblem } from '../../shared/benchmark/normalize-problem.ts';
import type { BenchmarkRecord } from '../../shared/schemas/benchmark.ts';
import { PROJECT_ROOT } from '../../server/config.ts';
import { openingMessage } from '../../server/engine/opening-message.ts';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../support/fake-openai-server.ts';
import { roleResponder } from '../support/role-responder.ts';
import { runCli } from '../support/run-cli.ts';
import { tempDir, writeFile } from '../support/temp-files.ts';
import { TINY_PNG } from '../support/tiny-png.ts';

/** Each test starts the real bin, which takes seconds on a busy machine. */
const SLOW = 120_000;
const SAMPLE_LINES = readFileSync(join(PROJECT_ROOT, 'data', 'sample-benchmark.jsonl'), 'utf8').split('\n');
const sample = (n: number): BenchmarkRecord => JSON.parse(SAMPLE_LINES[n] ?? '') as BenchmarkRecord;

function withImage(record: BenchmarkRecord, image: string): BenchmarkRecord {
  return { ...record, original_problem: { ...record.original_problem, image } };
}

// Line 1: an image; line 2: none; line 3: an image file that is not an image.
const WITH_PNG = withImage(sample(1), 'images/diagram.png');
const NO_IMAGE = sample(2);
const NOT_AN_IMAGE = withImage(sample(3), 'images/notes.png');

const dir = tempDir('prefdisco-run-images-');
let server: FakeOpenAiServer;
let models: string;
let bench: string;

beforeAll(async () => {
  server = await startFakeOpenAiServer();
  server.respondWith(roleResponder());
  mkdirSync(join(dir, 'images'));
  writeFile(dir, 'images/diagram.png', Buffer.from(TINY_PNG));
  writeFile(dir, 'images/notes.png', 'these are notes, not a picture');
  bench = writeFile(dir, 'bench.jsonl', [WITH_PNG, NO_IMAGE, NOT_AN_IMAGE].map((r) => JSON.stringify(r)).join('\n'));
  models = writeFile(
    dir,
    'models.json',
    JSON.stringify({
      models: [
        { name: 'mut', provider: 'openai-compatible', model: 'mut', baseUrl: server.baseUrl, maxRetries: 0 },
        { name: 'judge', provider: 'openai-compatible', model: 'judge', baseUrl: server.baseUrl, maxRetries: 0 },
      ],
    }),
  );
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => server.reset());

function run(out: string, extra: string[]) {
  const args = ['run', bench, '--model', 'mut', '--judge', 'judge', '--out', out, '--no-db', '--modes', 'no_prompt'];
  return runCli([...args, ...extra], { PREFDISCO_MODELS_FILE: models });
}

const lines = (file: string): Record<string, unknown>[] =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('prefdisco run --image', () => {
  it(
    "sends the record's image with the opening message, to the model under test only, and skips records without one",
    async () => {
      const out = join(dir, 'with-images.jsonl');
      const r = await run(out, ['--image']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('2 records without a usable image were skipped (--image)');

      const asked = server.requests.filter((q) => q.body.model === 'mut');
      expect(asked).toHaveLength(1);
      expect(asked[0]?.body.messages).toEqual([
        {
          role: 'user',
          content: [
            { type: 'text', text: openingMessage(normalizeProblem(WITH_PNG)) },
            {
              type: 'image_url',
              image_url: { url: `data:image/png;base64,${Buffer.from(TINY_PNG).toString('base64')}` },
            },
          ],
        },
      ]);
      const judged = server.requests.filter((q) => q.body.model === 'judge');
      expect(judged.length).toBeGreaterThan(0);
      for (const q of judged) for (const m of q.body.messages) expect(typeof m.content).toBe('string');

      const results = lines(out);
      expect(results.map((l) => l.problem_id)).toEqual([WITH_PNG.problem_id]);
      const extras = results[0]?.prefdisco_live as { options: Record<string, unknown> };
      expect(extras.options.images).toBe(true);

      const failures = lines(out.replace(/\.jsonl$/, '_failures.jsonl'));
      expect(failures.map((f) => [f.problem_id, f.stage, f.code, f.line, f.mode])).toEqual([
        [NO_IMAGE.problem_id, 'image', 'no_usable_image', 2, null],
        [NOT_AN_IMAGE.problem_id, 'image', 'no_usable_image', 3, null],
      ]);
      expect(failures[0]?.reason).toBe('the record has no image (--image evaluates only records with one)');
      expect(failures[1]?.reason).toBe('image "images/notes.png" is not a PNG, JPEG, GIF or WebP file');
    },
    SLOW,
  );

  it(
    'in discovery the image goes with the opening message on every call to the model under test, never to the simulator',
    async () => {
      const out = join(dir, 'discovery.jsonl');
      const args = ['run', bench, '--model', 'mut', '--judge', 'judge', '--out', out, '--no-db'];
      const r = await runCli([...args, '--modes', 'infer_persona', '--image'], { PREFDISCO_MODELS_FILE: models });
      expect(r.code, r.stderr).toBe(0);
      const asked = server.requests.filter((q) => q.body.model === 'mut');
      // The role responder asks two questions, then answers: three calls, each resending the conversation.
      expect(asked.length).toBeGreaterThanOrEqual(2);
      for (const q of asked) {
        const users = q.body.messages.filter((m) => m.role === 'user');
        expect(Array.isArray(users[0]?.content)).toBe(true);
        for (const later of users.slice(1)) expect(typeof later.content).toBe('string');
      }
      const simulated = server.requests.filter((q) => q.body.model === 'judge');
      expect(simulated.length).toBeGreaterThan(0);
      for (const q of simulated) for (const m of q.body.messages) expect(typeof m.content).toBe('string');
      const events = lines(out)[0]?.conversation as { role: string; content: unknown }[];
      expect(typeof events[0]?.content).toBe('string');
    },
    SLOW,
  );

  it(
    'without --image every record is evaluated as text only',
    async () => {
      const out = join(dir, 'text-only.jsonl');
      const r = await run(out, []);
      expect(r.code, r.stderr).toBe(0);
      const asked = server.requests.filter((q) => q.body.model === 'mut');
      expect(asked).toHaveLength(3);
      for (const q of asked) for (const m of q.body.messages) expect(typeof m.content).toBe('string');
      const results = lines(out);
      expect(results).toHaveLength(3);
      for (const l of results)
        expect((l.prefdisco_live as { options: Record<string, unknown> }).options).not.toHaveProperty('images');

      // Resuming that file with --image would mix text-only and image answers: refused, nothing sent.
      server.reset();
      const mixed = await run(out, ['--image']);
      expect(mixed.code).toBe(1);
      expect(mixed.stderr).toContain('3 result lines were evaluated as text only, this run with images (--image)');
      expect(server.requests).toHaveLength(0);
      expect(lines(out)).toHaveLength(3);
    },
    SLOW,
  );
});
