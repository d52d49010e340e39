import { describe, expect, it } from 'vitest';
import { EpisodeLog } from '../../server/engine/episode-log.ts';
import { runEpisode } from '../../server/engine/episode-runner.ts';
import type { AssistantSeat, UserSeat } from '../../server/engine/seats.ts';
import { buildProvenance } from '../../server/services/evaluation/episode-setup.ts';
import { actorViews } from '../../server/services/live/actor-view.ts';
import { finalAnswerOf, shownMessagesOf } from '../../client/src/store/play-log.ts';
import { RecordingProvider } from '../support/recording-provider.ts';
import { referenceExample } from '../support/records.ts';

/** What the person's chat shows, built from the events the engine really logs and the server really sends. */

const ask = (q: string): string => `###ACTION###: 'ask_question'\n###RESPONSE###: ${q}`;
const answer = (a: string): string => `###ACTION###: 'final_answer'\n###RESPONSE###: ${a}`;

class PlannedAssistant implements AssistantSeat {
  private calls = 0;
  constructor(private readonly plan: (call: number) => string) {}
  async respond(): Promise<{ text: string }> {
    return { text: this.plan(this.calls++) };
  }
}

class PlannedUser implements UserSeat {
  readonly kind = 'simulated' as const;
  async reply(input: { turn: number }): Promise<{ response: string; terminate: boolean }> {
    return { response: `reply ${input.turn}`, terminate: false };
  }
}

const judge = new RecordingProvider((r) => {
  if (r.purpose === 'correctness_judge') return '{"justification": "ok", "correct": 1}';
  if (r.purpose === 'disclosure_labeler') return '{"asked": [], "revealed": []}';
  return '{"score": 4, "justification": "j"}';
}, 'judge');

async function shownChat(plan: (call: number) => string, fixedQuestions?: number): Promise<string[]> {
  const record = referenceExample();
  const provenance = buildProvenance(record, { assistant: judge, judge, simulator: judge }, true, {}, null);
  const log = new EpisodeLog();
  await runEpisode(
    { record, mode: 'infer_persona', userType: 'passive_nostop', ...(fixedQuestions ? { fixedQuestions } : {}) },
    { assistant: new PlannedAssistant(plan), user: new PlannedUser(), judge, labeler: judge, provenance },
    log,
    new AbortController().signal,
  );
  const events = actorViews(log.events, -1);
  const shown = shownMessagesOf(events);
  // The answer the person rates is always among what they see.
  const rated = finalAnswerOf(events);
  expect(rated && shown.includes(rated)).toBe(true);
  return shown.map((m) => `${m.role}:${m.kind}${m.final ? ':final' : ''} ${m.kind === 'opening' ? '' : m.text}`.trim());
}

describe('the chat shows the final answer once', () => {
  it('a model that answers inside the question loop: only the final answer it is re-asked for is shown', async () => {
    const shown = await shownChat((i) => (i === 0 ? ask('Q0?') : answer('The area is 27√3.')));
    expect(shown).toEqual([
      'user:opening',
      'assistant:question Q0?',
      'user:reply reply 0',
      'assistant:final_answer:final The area is 27√3.',
    ]);
  });

  it('a model that asks all its questions: every question and the one final answer', async () => {
    const shown = await shownChat((i) => (i < 5 ? ask(`Q${i}?`) : answer('Done.')));
    expect(shown.filter((m) => m.startsWith('assistant:question'))).toHaveLength(5);
    expect(shown.filter((m) => m.includes(':final'))).toEqual(['assistant:final_answer:final Done.']);
  });

  it('an early answer the fixed-questions ablation goes on past stays, as part of what happened', async () => {
    const shown = await shownChat((i) => (i === 1 ? answer('early') : i < 3 ? ask(`Q${i}?`) : answer('final')), 3);
    expect(shown.filter((m) => m.startsWith('assistant:'))).toEqual([
      'assistant:question Q0?',
      'assistant:question:final early',
      'assistant:question Q2?',
      'assistant:final_answer:final final',
    ]);
  });
});
