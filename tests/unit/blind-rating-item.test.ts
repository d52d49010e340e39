import { describe, expect, it } from 'vitest';
import type { BenchmarkRecord } from '../../shared/schemas/benchmark.ts';
import { blindRatingItem, blindTranscript, stripMarkers } from '../../server/services/studies/blind-rating-item.ts';
import { exampleRecord } from '../support/records.ts';

describe('stripMarkers', () => {
  it('removes the ACTION line and every ###WORD### marker, keeping the text', () => {
    expect(stripMarkers("###ACTION###: 'final_answer'\n###RESPONSE###: The sum is 720.")).toBe('The sum is 720.');
    expect(stripMarkers('Thinking...\n###ACTION###: [ask_question]\n###RESPONSE###:Do you like pictures?')).toBe(
      'Thinking...\nDo you like pictures?',
    );
    expect(stripMarkers('I prefer pictures. ###STOP###')).toBe('I prefer pictures.');
    expect(stripMarkers('No markers at all # here')).toBe('No markers at all # here');
  });

  it('blinds a transcript to roles and stripped text, dropping turns left empty', () => {
    expect(
      blindTranscript([
        { role: 'user', content: 'Opening' },
        { role: 'assistant', content: "###ACTION###: 'ask_question'\n###RESPONSE###: Why?" },
        { role: 'user', content: '###STOP###' },
      ]),
    ).toEqual([
      { role: 'user', content: 'Opening' },
      { role: 'assistant', content: 'Why?' },
    ]);
  });
});

describe('blindRatingItem', () => {
  it('copies only allow-listed fields, so unknown record fields never reach a rater', () => {
    const base = exampleRecord(0);
    const record = {
      ...base,
      generator_model: 'gpt-secret',
      persona: { ...base.persona, llm_client: 'gpt-secret', usage_count: 3 },
      persona_preferences: Object.fromEntries(
        Object.entries(base.persona_preferences).map(([k, p]) => [k, { ...p, model: 'gpt-secret' }]),
      ),
      evaluation_rubric: {
        ...base.evaluation_rubric,
        made_by: 'gpt-secret',
        evaluation_criteria: base.evaluation_rubric.evaluation_criteria.map((c) => ({
          ...c,
          source: 'gpt-secret',
          levels: c.levels.map((l) => ({ ...l, by: 'gpt-secret' })),
        })),
      },
    } as BenchmarkRecord;
    const item = blindRatingItem({
      itemId: 'abc',
      record,
      answer: '###RESPONSE###: 720',
      transcript: [{ role: 'user', content: 'hi' }],
      showTranscript: false,
    });
    expect(JSON.stringify(item)).not.toContain('gpt-secret');
    expect(Object.keys(item).sort()).toEqual(['answer', 'itemId', 'persona', 'preferences', 'rubric', 'task']);
    expect(item.persona).not.toHaveProperty('id');
    expect(item.persona).not.toHaveProperty('usage_count');
    expect(item.task).toEqual({
      question: 'How many degrees are in the sum of the interior angles of a convex hexagon?',
      options: {},
      goldAnswer: '720',
    });
    expect(item.answer).toBe('720');
    expect(item.rubric.map((c) => c.preference)).toEqual(
      base.evaluation_rubric.evaluation_criteria.map((c) => c.preference),
    );
  });

  it('adds the transcript only when the study shows it, and then to every item alike', () => {
    const input = {
      itemId: 'abc',
      record: exampleRecord(0),
      answer: 'A',
      transcript: [{ role: 'user' as const, content: 'hi' }],
    };
    expect(blindRatingItem({ ...input, showTranscript: true }).transcript).toEqual([{ role: 'user', content: 'hi' }]);
    expect(blindRatingItem({ ...input, showTranscript: false })).not.toHaveProperty('transcript');
    // Whether dialogues show is decided per study, never per item: an item without one still carries the key, so the
    // item's shape tells nothing (transcriptsShown keeps such studies from showing dialogues at all).
    expect(blindRatingItem({ ...input, transcript: null, showTranscript: true }).transcript).toEqual([]);
  });
});
