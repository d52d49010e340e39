import { describe, expect, it } from 'vitest';
import type { BenchmarkRecord } from '../../shared/schemas/benchmark.ts';
import type { EpisodeEvent } from '../../shared/schemas/episode.ts';
import { EpisodeAbortedError, EpisodeFailure } from '../../server/engine/episode-errors.ts';
import { EpisodeLog } from '../../server/engine/episode-log.ts';
import { runEpisode, type EpisodeSpec } from '../../server/engine/episode-runner.ts';
import { renderPrompt } from '../../server/engine/prompt-library.ts';
import { weightedScore } from '../../server/engine/rubric-judge.ts';
import type { AssistantSeat, ChatTurn, UserSeat } from '../../server/engine/seats.ts';
import { SimulatedUserSeat } from '../../server/engine/simulated-user-seat.ts';
import { ModelCallError, type ModelRequest } from '../../server/models/model-provider.ts';
import { batchParticipants, buildProvenance } from '../../server/services/evaluation/episode-setup.ts';
import { RecordingProvider } from '../support/recording-provider.ts';
import { referenceExample } from '../support/records.ts';

const FINAL_PROMPT = renderPrompt('finalPrompt');
const ask = (q: string): string => `###ACTION###: 'ask_question'\n###RESPONSE###: ${q}`;
const answer = (a: string): string => `###ACTION###: 'final_answer'\n###RESPONSE###: ${a}`;

/** The assistant seat as a list of planned messages; records what it was shown each time. */
class PlannedAssistant implements AssistantSeat {
  readonly seen: { system: string | null; conversation: ChatTurn[] }[] = [];
  constructor(private readonly plan: (call: number) => string) {}
  async respond(input: { system: string | null; conversation: ChatTurn[] }): Promise<{ text: string }> {
    this.seen.push({ system: input.system, conversation: input.conversation.map((m) => ({ ...m })) });
    return { text: this.plan(this.seen.length - 1) };
  }
}

class PlannedUser implements UserSeat {
  readonly kind = 'simulated' as const;
  calls = 0;
  constructor(private readonly terminateAt: number | null = null) {}
  async reply(input: { turn: number }): Promise<{ response: string; terminate: boolean }> {
    this.calls += 1;
    return { response: `reply ${input.turn}`, terminate: this.terminateAt === input.turn };
  }
}

/** A judge that gives every criterion `score` and says the answer is correct. */
function judge(score: number | ((r: ModelRequest) => string) = 4): RecordingProvider {
  return new RecordingProvider((r) => {
    if (r.purpose === 'correctness_judge') return '{"justification": "matches", "correct": 1}';
    if (r.purpose === 'disclosure_labeler')
      return '{"asked": ["Honeycomb Analogies"], "revealed": [{"preference": "Honeycomb Analogies", "value": "5"}, {"preference": "Invented", "value": "x"}]}';
    return typeof score === 'number' ? `{"score": ${score}, "justification": "j"}` : score(r);
  }, 'judge');
}

async function run(
  spec: Partial<EpisodeSpec> & { record?: BenchmarkRecord },
  assistant: AssistantSeat,
  user: UserSeat | null,
  j = judge(),
) {
  const record = spec.record ?? referenceExample();
  const full: EpisodeSpec = { record, mode: 'infer_persona', userType: 'passive_nostop', ...spec };
  const provenance = buildProvenance(record, { assistant: j, judge: j, simulator: j }, true, {}, null);
  const log = new EpisodeLog();
  const result = await runEpisode(
    full,
    { assistant, user, judge: j, labeler: j, provenance },
    log,
    new AbortController().signal,
  );
  return { result, log, judge: j };
}

const messages = (events: readonly EpisodeEvent[]) =>
  events.filter((e) => e.type === 'message').map((e) => (e.type === 'message' ? `${e.role}:${e.kind}` : ''));

describe('episode runner: the discovery loop', () => {
  it('asks at most max_turns (5) questions, then appends the final prompt to the last user message', async () => {
    const assistant = new PlannedAssistant((i) => (i < 5 ? ask(`Q${i}?`) : answer('Done.')));
    const user = new PlannedUser();
    const { result, log } = await run({}, assistant, user);
    expect(user.calls).toBe(5);
    expect(assistant.seen).toHaveLength(6);
    expect(result.interactionTurns).toBe(5);
    const last = assistant.seen[5]?.conversation;
    expect(last?.[last.length - 1]).toEqual({ role: 'user', content: `reply 4\n\n${FINAL_PROMPT}` });
    expect(assistant.seen[5]?.system).toBe(renderPrompt('discoverySystem'));
    expect(result.conversation).toHaveLength(1 + 10 + 1);
    expect(messages(log.events)).toEqual([
      'user:opening',
      ...Array.from({ length: 5 }, () => ['assistant:question', 'user:reply']).flat(),
      'user:final_prompt',
      'assistant:final_answer',
    ]);
  });

  it('a final_answer inside the loop stops it without asking the user, and the re-ask reads "###STOP###" + final prompt', async () => {
    const assistant = new PlannedAssistant((i) => (i === 0 ? ask('Q0?') : answer('The answer is 720.')));
    const user = new PlannedUser();
    const { result } = await run({}, assistant, user);
    expect(user.calls).toBe(1);
    expect(result.interactionTurns).toBe(1);
    const final = assistant.seen[2]?.conversation ?? [];
    expect(final[final.length - 1]).toEqual({ role: 'user', content: `###STOP###\n\n${FINAL_PROMPT}` });
  });

  it('a user who sends ###STOP### (terminate) ends the loop', async () => {
    const assistant = new PlannedAssistant((i) => (i < 5 ? ask(`Q${i}?`) : answer('x')));
    const user = new PlannedUser(1);
    const { result } = await run({ userType: 'passive' }, assistant, user);
    expect(user.calls).toBe(2);
    expect(result.interactionTurns).toBe(2);
  });

  it('fixed-K asks exactly K questions with "turn t of K" (0-based), ignores stop signals, and answers under the discovery prompt', async () => {
    const assistant = new PlannedAssistant((i) =>
      i === 1 ? answer('early') : i < 3 ? ask(`Q${i}?`) : answer('final'),
    );
    const user = new PlannedUser(0);
    const { result } = await run({ fixedQuestions: 3 }, assistant, user);
    expect(assistant.seen.map((s) => /This is turn (\d) of 3/.exec(s.system ?? '')?.[1] ?? 'dynamic')).toEqual([
      '0',
      '1',
      '2',
      'dynamic',
    ]);
    expect(user.calls).toBe(2);
    expect(result.interactionTurns).toBe(2);
  });

  it('records the disclosure ledger per user turn, dropping names that are not hidden preferences', async () => {
    const assistant = new PlannedAssistant((i) => (i < 1 ? ask('Do you like analogies?') : answer('x')));
    const { log } = await run({}, assistant, new PlannedUser());
    const labels = log.events.filter((e) => e.type === 'disclosure_labeled');
    expect(labels).toEqual([
      expect.objectContaining({
        turn: 0,
        asked: ['Honeycomb Analogies'],
        revealed: [{ preference: 'Honeycomb Analogies', value: '5' }],
        issue: expect.stringContaining('Invented'),
      }),
    ]);
  });
});

describe('episode runner: baseline and oracle (no_prompt, persona_known)', () => {
  it('no_prompt is one call with no system prompt; persona_known one call with the profile', async () => {
    const baseline = new PlannedAssistant(() => 'Generic answer.');
    const { result } = await run({ mode: 'no_prompt', userType: 'no_user_interaction' }, baseline, null);
    expect(baseline.seen).toEqual([
      {
        system: null,
        conversation: [
          {
            role: 'user',
            content:
              'I need help with the following task: How many degrees are in the sum of the interior angles of a convex hexagon?',
          },
        ],
      },
    ]);
    expect(result.interactionTurns).toBe(0);
    const oracle = new PlannedAssistant(() => 'Personal answer.');
    await run({ mode: 'persona_known', userType: 'no_user_interaction' }, oracle, null);
    expect(oracle.seen[0]?.system).toContain('PREFERECES:');
    expect(oracle.seen[0]?.system).toContain('Chidinma Okafor');
  });
});

describe('judging (rubric and correctness judges)', () => {
  it('weighted score is Σw·s/Σw', () => {
    expect(
      weightedScore([
        { score: 2, weight: 0.364 },
        { score: 5, weight: 0.455 },
        { score: 3, weight: 0.182 },
      ]),
    ).toBeCloseTo((2 * 0.364 + 5 * 0.455 + 3 * 0.182) / 1.001, 10);
    expect(weightedScore([])).toBe(0);
    expect(
      weightedScore([
        { score: null, weight: 1 },
        { score: 4, weight: 1 },
      ]),
    ).toBe(4);
  });

  it('per criterion, with the level descriptions, value and justification in the prompt; missing weights count 1/N', async () => {
    const record = referenceExample();
    for (const c of record.evaluation_rubric.evaluation_criteria) delete c.weight;
    const scores: Record<string, number> = {
      'Comfort with Polygon Decomposition': 2,
      'Honeycomb Analogies': 5,
      'Notation Density': 5,
    };
    const j = judge(
      (r) =>
        `{"score": ${scores[/CRITERION TO EVALUATE:\n(.*)/.exec(r.messages[1]?.content ?? '')?.[1] ?? ''] ?? 1}, "justification": "j"}`,
    );
    const { result } = await run(
      { record, mode: 'no_prompt', userType: 'no_user_interaction' },
      new PlannedAssistant(() => 'x'),
      null,
      j,
    );
    expect(result.weightedScore).toBeCloseTo(4, 10);
    const first = j.requests.find((r) => r.purpose === 'rubric_judge');
    expect(first?.temperature).toBe(0.1);
    expect(first?.messages[1]?.content).toContain('"description": "Builds the triangle split visually, step by step"');
    expect(first?.messages[1]?.content).toContain('Preference value: 2');
    expect(first?.messages[1]?.content).toContain('Context: Geometry was never taught to her beyond basics');
  });

  it('an unusable judge reply is asked again, then fails the episode with the reason (not a silent 1)', async () => {
    const j = judge(() => 'I would rate this highly.');
    const attempt = run(
      { mode: 'no_prompt', userType: 'no_user_interaction' },
      new PlannedAssistant(() => 'x'),
      null,
      j,
    );
    await expect(attempt).rejects.toBeInstanceOf(EpisodeFailure);
    await expect(attempt).rejects.toMatchObject({ stage: 'judge', code: 'judge_unusable' });
    expect(j.requests.filter((r) => r.purpose === 'rubric_judge').length).toBe(3 * 3);
  });

  it('with --reference-quirks, a reply without JSON is not asked again: the episode is skipped, as the reference does', async () => {
    const j = judge(() => 'no json');
    const attempt = run(
      { mode: 'no_prompt', userType: 'no_user_interaction', referenceQuirks: true },
      new PlannedAssistant(() => 'x'),
      null,
      j,
    );
    await expect(attempt).rejects.toMatchObject({ stage: 'judge', code: 'reference_skip' });
    expect(j.requests.filter((r) => r.purpose === 'rubric_judge')).toHaveLength(1);
  });

  it('an out-of-range score is rejected and asked again', async () => {
    let calls = 0;
    const j = judge(() =>
      ++calls === 1 ? '{"score": 7, "justification": "j"}' : '{"score": 3, "justification": "j"}',
    );
    const { log } = await run(
      { mode: 'no_prompt', userType: 'no_user_interaction' },
      new PlannedAssistant(() => 'x'),
      null,
      j,
    );
    const first = log.events.find((e) => e.type === 'criterion_judged');
    expect(first).toMatchObject({ score: 3, attempts: 2, issue: expect.stringContaining('$.score') });
  });

  it('the correctness judge runs at temperature 0 (the reference ran 0.7 by accident; the switch restores it)', async () => {
    const j = judge();
    await run({ mode: 'no_prompt', userType: 'no_user_interaction' }, new PlannedAssistant(() => 'x'), null, j);
    expect(j.requests.find((r) => r.purpose === 'correctness_judge')?.temperature).toBe(0);
    const k = judge();
    await run(
      { mode: 'no_prompt', userType: 'no_user_interaction', referenceQuirks: true },
      new PlannedAssistant(() => 'x'),
      null,
      k,
    );
    expect(k.requests.find((r) => r.purpose === 'correctness_judge')?.temperature).toBe(0.7);
  });
});

describe('the simulated user', () => {
  it('sees the profile and the chat history but never the task text; replies parsed from {thought, response}', async () => {
    const record = referenceExample();
    const sim = new RecordingProvider(() => "{'thought': 'brief', 'response': 'I keep bees.'}", 'sim');
    const seat = new SimulatedUserSeat(sim, record, 'passive_nostop');
    const reply = await seat.reply({
      turn: 1,
      assistantMessage: ask('What do you do?'),
      history: [{ assistant: ask('Hi?'), user: 'Hello.' }],
      signal: new AbortController().signal,
    });
    expect(reply).toMatchObject({ response: 'I keep bees.', thought: 'brief', terminate: false });
    const prompt = sim.requests[0]?.messages[0]?.content ?? '';
    expect(sim.requests[0]?.temperature).toBe(0.4);
    expect(prompt).toContain('Name: Chidinma Okafor');
    expect(prompt).toContain(
      "**Assistant**: ###ACTION###: 'ask_question'\n###RESPONSE###: Hi?\n**User**: Hello.\n**Assistant**:",
    );
    expect(prompt).not.toContain('interior angles');
  });

  it('passive stops on ###STOP###; passive_nostop does not; a missing response becomes "I don\'t understand."', async () => {
    const record = referenceExample();
    const stop = new RecordingProvider(() => '{"thought": "done", "response": "###STOP###"}');
    const signal = new AbortController().signal;
    expect(
      (
        await new SimulatedUserSeat(stop, record, 'passive').reply({
          turn: 0,
          assistantMessage: 'x',
          history: [],
          signal,
        })
      ).terminate,
    ).toBe(true);
    expect(
      (
        await new SimulatedUserSeat(stop, record, 'passive_nostop').reply({
          turn: 0,
          assistantMessage: 'x',
          history: [],
          signal,
        })
      ).terminate,
    ).toBe(false);
    const empty = new RecordingProvider(() => '{"thought": "hmm"}');
    expect(
      await new SimulatedUserSeat(empty, record, 'passive').reply({
        turn: 0,
        assistantMessage: 'x',
        history: [],
        signal,
      }),
    ).toMatchObject({ response: "I don't understand.", issue: expect.stringContaining('no "response"') });
  });
});

describe('failures and cancellation', () => {
  it('a provider failure fails the episode with its stage and code, logged as episode_failed', async () => {
    const broken: AssistantSeat = {
      respond: async () => {
        throw new ModelCallError('rate_limited', 'rate limited (429) after 5 attempts', 5, 429);
      },
    };
    const log = new EpisodeLog();
    const record = referenceExample();
    const j = judge();
    const provenance = buildProvenance(record, { assistant: j, judge: j, simulator: j }, false, {}, null);
    await expect(
      runEpisode(
        { record, mode: 'no_prompt', userType: 'no_user_interaction' },
        { assistant: broken, user: null, judge: j, labeler: null, provenance },
        log,
        new AbortController().signal,
      ),
    ).rejects.toMatchObject({ stage: 'assistant', code: 'rate_limited' });
    expect(log.events[log.events.length - 1]).toMatchObject({
      type: 'episode_failed',
      reason: 'rate limited (429) after 5 attempts',
    });
  });

  it('an aborted episode throws EpisodeAbortedError and is not marked failed', async () => {
    const controller = new AbortController();
    const record = referenceExample();
    const j = judge();
    const participants = batchParticipants(
      record,
      'infer_persona',
      'passive_nostop',
      null,
      { assistant: j, judge: j, simulator: j },
      buildProvenance(record, { assistant: j, judge: j, simulator: j }, true, {}, null),
    );
    participants.assistant = {
      respond: async () => {
        controller.abort();
        throw new ModelCallError('aborted', 'call aborted', 1);
      },
    };
    const log = new EpisodeLog();
    await expect(
      runEpisode({ record, mode: 'infer_persona', userType: 'passive_nostop' }, participants, log, controller.signal),
    ).rejects.toBeInstanceOf(EpisodeAbortedError);
    expect(log.events.some((e) => e.type === 'episode_failed')).toBe(false);
  });
});
