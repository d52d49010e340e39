import { describe, expect, it } from 'vitest';
import { CARETAKER_CONTEXT, problemContextFor } from '../../shared/benchmark/source-task.ts';
import { parseAction } from '../../server/engine/assistant-protocol.ts';
import { EpisodeLog } from '../../server/engine/episode-log.ts';
import { runEpisode } from '../../server/engine/episode-runner.ts';
import { weightedScore } from '../../server/engine/rubric-judge.ts';
import type { AssistantSeat, Exchange, UserSeat } from '../../server/engine/seats.ts';
import { renderChatHistory } from '../../server/engine/simulated-user-seat.ts';
import { buildProvenance } from '../../server/services/evaluation/episode-setup.ts';
import { RecordingProvider } from '../support/recording-provider.ts';
import { referenceExample } from '../support/records.ts';

/** The protocol edges of the reference's `_is_requesting_final_answer` and simulator history (src/environment.py). */

describe('final-answer detection, as the reference', () => {
  it("[ 'final_answer' ] is not final: the reference strips whitespace, then only the characters []'\"", () => {
    expect(parseAction("###ACTION###: [ 'final_answer' ]\n###RESPONSE###: 720").final).toBe(false);
    expect(parseAction("###ACTION###: ['final_answer']\n###RESPONSE###: 720").final).toBe(true);
    expect(parseAction('###ACTION###:   "FINAL_ANSWER"  \n###RESPONSE###: 720').final).toBe(true);
  });

  it('two markers on one line: the text after the last one decides', () => {
    expect(parseAction("###ACTION###: 'ask_question' ###ACTION###: 'final_answer'").final).toBe(true);
    expect(parseAction("###ACTION###: 'final_answer' ###ACTION###: 'ask_question'").final).toBe(false);
    // Only the first marker's line is read; a marker on a later line does not count.
    expect(parseAction("###ACTION###: 'ask_question'\n###ACTION###: 'final_answer'").final).toBe(false);
  });

  it('a marker without its colon is no marker: the phrase heuristic decides', () => {
    expect(parseAction('###ACTION### final\nIn conclusion, the answer is 720.')).toMatchObject({
      final: true,
      via: 'heuristic',
    });
  });
});

describe("the simulator's history after an in-loop final answer (fixed-K goes on after one)", () => {
  it('has no User line for the automatic stop, as the reference records none', () => {
    const history: Exchange[] = [
      { assistant: 'Q0?', user: 'A0' },
      { assistant: 'final', user: '###STOP###', automaticStop: true },
    ];
    expect(renderChatHistory(history, 'Q2?')).toBe(
      '**Assistant**: Q0?\n**User**: A0\n**Assistant**: final\n**Assistant**: Q2?',
    );
  });

  it('interaction_turns: ours counts answered questions; --reference-quirks counts half the simulator history', async () => {
    const turns = async (referenceQuirks: boolean) => {
      const plan = [
        'Q0?',
        "###ACTION###: 'final_answer'\n###RESPONSE###: a",
        "###ACTION###: 'final_answer'\n###RESPONSE###: b",
      ];
      let call = 0;
      const record = referenceExample();
      const j = new RecordingProvider((r) =>
        r.purpose === 'correctness_judge' ? '{"correct": 1, "justification": "j"}' : '{"score": 3}',
      );
      const result = await runEpisode(
        { record, mode: 'infer_persona', userType: 'passive_nostop', fixedQuestions: 3, referenceQuirks },
        {
          assistant: { respond: async () => ({ text: plan[call++] ?? 'final' }) },
          user: { kind: 'simulated', reply: async () => ({ response: 'r', terminate: false }) },
          judge: j,
          labeler: null,
          provenance: buildProvenance(record, { assistant: j, judge: j, simulator: j }, true, {}, null),
        },
        new EpisodeLog(),
        new AbortController().signal,
      );
      return result.interactionTurns;
    };
    // History [Q0, r, final a, final b]: one answered question; the reference's len // 2 is 2.
    expect(await turns(false)).toBe(1);
    expect(await turns(true)).toBe(2);
  });

  it('the engine marks the stop so in a fixed-K episode, and a user who typed ###STOP### still has a line', async () => {
    const plan = ["###ACTION###: 'final_answer'\n###RESPONSE###: early", 'Q1?', 'Q2?', 'final'];
    let call = 0;
    const assistant: AssistantSeat = { respond: async () => ({ text: plan[call++] ?? 'x' }) };
    const seen: Exchange[][] = [];
    const user: UserSeat = {
      kind: 'simulated',
      reply: async (input) => {
        seen.push(input.history.map((e) => ({ ...e })));
        return { response: '###STOP###', terminate: true };
      },
    };
    const record = referenceExample();
    const j = new RecordingProvider((r) =>
      r.purpose === 'correctness_judge' ? '{"correct": 1, "justification": "j"}' : '{"score": 3}',
    );
    await runEpisode(
      { record, mode: 'infer_persona', userType: 'passive', fixedQuestions: 3 },
      {
        assistant,
        user,
        judge: j,
        labeler: null,
        provenance: buildProvenance(record, { assistant: j, judge: j, simulator: j }, true, {}, null),
      },
      new EpisodeLog(),
      new AbortController().signal,
    );
    expect(seen).toEqual([
      [{ assistant: plan[0], user: '###STOP###', automaticStop: true }],
      [
        { assistant: plan[0], user: '###STOP###', automaticStop: true },
        { assistant: 'Q1?', user: '###STOP###' },
      ],
    ]);
  });
});

describe('a duplicate criterion', () => {
  it('counts once, with the later score and weight (the reference keeps scores in a dict by preference)', () => {
    expect(
      weightedScore([
        { preference: 'a', score: 1, weight: 0.5 },
        { preference: 'b', score: 5, weight: 0.5 },
        { preference: 'a', score: 3, weight: 0.25 },
      ]),
    ).toBeCloseTo((3 * 0.25 + 5 * 0.5) / 0.75, 10);
  });
});

describe('MedQA caretaker framing (generation)', () => {
  it('only for the dataset names the reference recasts; its shipped MedQA config is a plain question', () => {
    expect(problemContextFor('medqa', 'GBaker/MedQA-USMLE-4-options')).toBe('question');
    expect(problemContextFor('medqa', undefined)).toBe('question');
    for (const name of ['openlifescienceai/medqa', 'medqa', 'multimedqa'])
      expect(problemContextFor('medqa', name)).toBe(CARETAKER_CONTEXT);
    expect(problemContextFor('math', 'medqa')).toBe(CARETAKER_CONTEXT);
    expect(problemContextFor('math', 'HuggingFaceH4/MATH-500')).toBe('math problem');
  });
});
