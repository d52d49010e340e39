import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchmarkRecord } from '../../shared/schemas/benchmark.ts';
import { EpisodeLog } from '../../server/engine/episode-log.ts';
import { runEpisode, type EpisodeSpec } from '../../server/engine/episode-runner.ts';
import { referenceExtractJson } from '../../server/engine/reference-json.ts';
import { SimulatedUserSeat } from '../../server/engine/simulated-user-seat.ts';
import type { AssistantSeat } from '../../server/engine/seats.ts';
import type { ModelRequest } from '../../server/models/model-provider.ts';
import { buildProvenance } from '../../server/services/evaluation/episode-setup.ts';
import { rejudgeMissingCorrectness } from '../../server/services/evaluation/rejudge.ts';
import { readResultsFile } from '../../server/services/evaluation/result-files.ts';
import { RecordingProvider } from '../support/recording-provider.ts';
import { referenceExample } from '../support/records.ts';

/**
 * One test per row of the quirks table in docs/engine.md: what the reference does, what we do by default, and that
 * `--reference-quirks` (EpisodeSpec.referenceQuirks) does what the reference does.
 */

const answerOnce: AssistantSeat = { respond: async () => ({ text: 'The hexagon has 720 degrees.' }) };

/** A judge whose rubric replies come from `rubric` (by call index) and whose correctness reply is `correctness`. */
function judge(
  rubric: (i: number) => string,
  correctness = '{"justification": "matches", "correct": 1}',
): RecordingProvider {
  let i = 0;
  return new RecordingProvider((r: ModelRequest) => {
    if (r.purpose === 'correctness_judge') return correctness;
    if (r.purpose === 'rubric_judge') return rubric(i++);
    return '{}';
  }, 'judge');
}

async function baseline(j: RecordingProvider, quirks: boolean, record: BenchmarkRecord = referenceExample()) {
  const spec: EpisodeSpec = { record, mode: 'no_prompt', userType: 'no_user_interaction', referenceQuirks: quirks };
  const provenance = buildProvenance(record, { assistant: j, judge: j, simulator: j }, false, {}, null);
  const log = new EpisodeLog();
  const outcome = await runEpisode(
    spec,
    { assistant: answerOnce, user: null, judge: j, labeler: null, provenance },
    log,
    new AbortController().signal,
  ).then(
    (result) => ({ result, error: null }),
    (error: unknown) => ({ result: null, error: error as { stage: string; code: string; message: string } }),
  );
  const calls = (purpose: string) => j.requests.filter((r) => r.purpose === purpose);
  return { ...outcome, log, rubricCalls: calls('rubric_judge'), correctnessCalls: calls('correctness_judge') };
}

describe('quirks table: judge replies', () => {
  it('no JSON: we ask again and then fail the episode; the reference (and --reference-quirks) asks once and skips it', async () => {
    const ours = await baseline(
      judge(() => 'I rate it highly.'),
      false,
    );
    expect(ours.error).toMatchObject({ stage: 'judge', code: 'judge_unusable' });
    expect(ours.rubricCalls).toHaveLength(3 * 3);

    const ref = await baseline(
      judge(() => 'I rate it highly.'),
      true,
    );
    expect(ref.error).toMatchObject({ stage: 'judge', code: 'reference_skip' });
    // The reference raises on the first criterion: no other criterion and no correctness call.
    expect(ref.rubricCalls).toHaveLength(1);
    expect(ref.correctnessCalls).toHaveLength(0);
  });

  it('no "score": we ask again; --reference-quirks counts it as 1 after one call', async () => {
    const ours = await baseline(
      judge((i) => (i === 0 ? '{"justification": "j"}' : '{"score": 5, "justification": "j"}')),
      false,
    );
    expect(ours.result?.judgments[0]).toMatchObject({ score: 5, attempts: 2 });

    const ref = await baseline(
      judge((i) => (i === 0 ? '{"justification": "j"}' : '{"score": 5, "justification": "j"}')),
      true,
    );
    expect(ref.rubricCalls).toHaveLength(3);
    expect(ref.result?.judgments.map((j) => j.score)).toEqual([1, 5, 5]);
    // Weights .364/.455/.182 from the example record: (0.364·1 + 0.455·5 + 0.182·5) / 1.001
    expect(ref.result?.weightedScore).toBeCloseTo((0.364 + 0.455 * 5 + 0.182 * 5) / 1.001, 10);
  });

  it('a non-integer or out-of-range score: we reject it and ask again; --reference-quirks keeps it and weighs it', async () => {
    const replies = ['{"score": 3.5, "justification": "a"}', '{"score": 7}', '{"score": "0"}'];
    const ours = await baseline(
      judge((i) => (i === 0 ? (replies[0] as string) : '{"score": 2}')),
      false,
    );
    expect(ours.result?.judgments.map((j) => [j.score, j.attempts])).toEqual([
      [2, 2],
      [2, 1],
      [2, 1],
    ]);

    const ref = await baseline(
      judge((i) => replies[i] ?? '{"score": 2}'),
      true,
    );
    // The reference's reader turns the quoted "0" into the number 0; nothing is clamped.
    expect(ref.result?.judgments.map((j) => j.score)).toEqual([3.5, 7, 0]);
    expect(ref.result?.weightedScore).toBeCloseTo((0.364 * 3.5 + 0.455 * 7 + 0.182 * 0) / 1.001, 10);
    expect(ref.rubricCalls).toHaveLength(3);
    const stored = ref.log.events.filter((e) => e.type === 'criterion_judged');
    expect(stored.map((e) => (e.type === 'criterion_judged' ? e.score : null))).toEqual([3.5, 7, 0]);
  });

  it('a score that is no number (null, "high"): --reference-quirks judges every criterion, then skips the episode before correctness', async () => {
    const ref = await baseline(
      judge((i) => (i === 1 ? '{"score": "high"}' : '{"score": 4}')),
      true,
    );
    expect(ref.rubricCalls).toHaveLength(3);
    expect(ref.correctnessCalls).toHaveLength(0);
    expect(ref.error).toMatchObject({ stage: 'judge', code: 'reference_skip' });
    expect(ref.error?.message).toContain("'high'");

    const nullScore = await baseline(
      judge(() => '{"score": null}'),
      true,
    );
    expect(nullScore.error).toMatchObject({ code: 'reference_skip' });
  });

  it('the reference reader: None and bare keys are unreadable to it (skip), numeric strings become numbers', () => {
    expect(referenceExtractJson("{'score': '4', 'justification': 'ok'}")).toEqual({
      ok: true,
      value: { score: 4, justification: 'ok' },
    });
    expect(referenceExtractJson('{"score": 4, "justification": None}').ok).toBe(false);
    expect(referenceExtractJson('{score: 4}').ok).toBe(false);
    expect(referenceExtractJson('{"score": TRUE, "x": [1, 2.5,],}')).toEqual({
      ok: true,
      value: { score: true, x: [1, 2.5] },
    });
    expect(referenceExtractJson('no object here').ok).toBe(false);
    expect(referenceExtractJson('{"score": 4').ok).toBe(false);
  });
});

describe('quirks table: the correctness judge', () => {
  it('runs at temperature 0 by default and at the reference accidental 0.7 with --reference-quirks', async () => {
    const ours = await baseline(
      judge(() => '{"score": 4}'),
      false,
    );
    expect(ours.correctnessCalls[0]?.temperature).toBe(0);
    const ref = await baseline(
      judge(() => '{"score": 4}'),
      true,
    );
    expect(ref.correctnessCalls[0]?.temperature).toBe(0.7);
  });

  it('an unreadable reply: --reference-quirks asks once and takes "is correct" in the text (case-sensitive), whole text kept', async () => {
    const text = 'The response IS CORRECT in substance.';
    const ref = await baseline(
      judge(() => '{"score": 4}', text),
      true,
    );
    expect(ref.correctnessCalls).toHaveLength(1);
    expect(ref.result?.correctness).toMatchObject({ correct: 0, justification: text });

    const yes = await baseline(
      judge(() => '{"score": 4}', 'The answer is correct.'),
      true,
    );
    expect(yes.result?.correctness.correct).toBe(1);

    const ours = await baseline(
      judge(() => '{"score": 4}', text),
      false,
    );
    expect(ours.correctnessCalls).toHaveLength(3);
  });

  it('a reply without "correct": --reference-quirks skips the episode (the reference cannot build the result line)', async () => {
    const ref = await baseline(
      judge(() => '{"score": 4}', '{"justification": "fine"}'),
      true,
    );
    expect(ref.error).toMatchObject({ stage: 'correctness', code: 'reference_skip' });
    expect(ref.correctnessCalls).toHaveLength(1);
  });

  it('re-judging missing correctness on resume honours the flag: temperature 0.7 and one call', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quirks-'));
    const file = join(dir, 'results.jsonl');
    const record = referenceExample();
    const line = {
      problem_id: record.problem_id,
      persona_id: record.persona.id,
      mode: 'no_prompt',
      user_type: 'no_user_interaction',
      weighted_score: 3,
      correct: null,
      conversation: [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: 'It is 720.' },
      ],
      evaluation: { criteria_scores: {}, weighted_score: 3, interaction_turns: 0, preferences_expressed: [] },
      timestamp: 1,
    };
    const rejudge = async (quirks: boolean, reply: string) => {
      writeFileSync(file, `${JSON.stringify(line)}\n`);
      const j = new RecordingProvider(() => reply, 'judge');
      const n = await rejudgeMissingCorrectness(
        file,
        await readResultsFile(file),
        [record],
        j,
        new AbortController().signal,
        { reference: quirks },
      );
      const written = JSON.parse(readFileSync(file, 'utf8').trim()) as { correct: unknown };
      return { n, j, written };
    };

    const ref = await rejudge(true, 'This is correct.');
    expect(ref.j.requests.map((r) => r.temperature)).toEqual([0.7]);
    expect(ref).toMatchObject({ n: 1, written: { correct: 1 } });

    const ours = await rejudge(false, 'This is correct.');
    expect(ours.j.requests.map((r) => r.temperature)).toEqual([0, 0, 0]);

    const unusable = await rejudge(true, '{"justification": "no verdict"}');
    expect(unusable).toMatchObject({ n: 0, written: { correct: null } });
  });
});

describe('quirks table: the simulated user', () => {
  const ask = "###ACTION###: 'ask_question'\n###RESPONSE###: What do you do?";
  const reply = (raw: string, reference: boolean) =>
    new SimulatedUserSeat(new RecordingProvider(() => raw, 'sim'), referenceExample(), 'passive_nostop', {
      reference,
    }).reply({ turn: 0, assistantMessage: ask, history: [], signal: new AbortController().signal });

  it('no JSON: we ask again, then use the raw text; --reference-quirks skips the episode', async () => {
    await expect(reply('I keep bees.', false)).resolves.toMatchObject({ response: 'I keep bees.' });
    await expect(reply('I keep bees.', true)).rejects.toThrow(/simulated user/);
  });

  it('a "response" that is not a string reads as Python str() of it, with or without the flag', async () => {
    await expect(reply('{"response": 42}', false)).resolves.toMatchObject({ response: '42' });
    await expect(reply('{"response": ["a", 1, null, true]}', false)).resolves.toMatchObject({
      response: "['a', 1, None, True]",
    });
    await expect(reply('{"response": {"k": "v"}}', true)).resolves.toMatchObject({ response: "{'k': 'v'}" });
    await expect(reply('{"thought": "t"}', true)).resolves.toMatchObject({ response: "I don't understand." });
  });
});
