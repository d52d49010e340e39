import { describe, expect, it } from 'vitest';
import { BenchmarkMetadataSchema, BenchmarkRecordSchema, parseProblemId } from '../../shared/schemas/benchmark.ts';
import { AggregateLineSchema, EvalResultSchema } from '../../shared/schemas/evaluation.ts';
import { StudyNameSchema } from '../../shared/schemas/study.ts';
import { referenceExample } from '../support/records.ts';

// Result and aggregate lines in the reference evaluator's shape.
const resultLine = {
  problem_id: 'problem_17_okafor_3fa9c21b',
  persona_id: 'okafor_3fa9c21b',
  mode: 'infer_persona',
  user_type: 'passive_nostop',
  weighted_score: 3.727,
  correct: 1,
  conversation: [
    { role: 'user', content: 'I need help with the following task: …' },
    { role: 'assistant', content: '###ACTION###: final_answer' },
  ],
  evaluation: {
    correctness: { justification: 'Matches 720.', correct: 1 },
    criteria_scores: { 'Honeycomb Analogies': { score: 5, justification: 'Uses comb cells.', weight: 0.455 } },
    weighted_score: 3.727,
    interaction_turns: 2,
    preferences_expressed: [],
  },
  timestamp: 1760000000.5,
};
const aggregateLine = {
  model: 'gpt-4o',
  problems_evaluated: 3,
  average_score_overall: 3.1,
  average_turns_overall: 0.7,
  average_correctness_overall: 0.67,
  per_mode_results: { no_prompt: { average_score: 2.5, average_correctness: 1, evaluations: 1 } },
  per_prompt_results: { no_user_interaction: { average_score: 2.5, average_correctness: 1, evaluations: 1 } },
  per_mode_prompt_results: {
    no_prompt_no_user_interaction: { average_score: 2.5, average_correctness: 1, evaluations: 1 },
  },
  timestamp: 1760000001,
};

describe('shared schemas', () => {
  it('parse the reference example record and keep unknown fields at every level', () => {
    const record = referenceExample() as unknown as Record<string, unknown>;
    const withExtras = {
      ...record,
      release_version: 2,
      persona: { ...(record.persona as object), cultural_background: 'Igbo heritage' },
    };
    const parsed = BenchmarkRecordSchema.parse(withExtras);
    expect(parsed).toEqual(withExtras);
  });

  it('parse a result line and an aggregate line, with a correct of null and legacy extras kept', () => {
    expect(EvalResultSchema.parse(resultLine)).toEqual(resultLine);
    const unjudged = { ...resultLine, correct: null, shard: 1 };
    expect(EvalResultSchema.parse(unjudged)).toEqual(unjudged);
    expect(AggregateLineSchema.parse(aggregateLine)).toEqual(aggregateLine);
  });

  it('reject a result with an unknown mode or user type', () => {
    expect(EvalResultSchema.safeParse({ ...resultLine, mode: 'guess' }).success).toBe(false);
    expect(EvalResultSchema.safeParse({ ...resultLine, user_type: 'chatty' }).success).toBe(false);
  });

  it('metadata needs a dataset; generator bookkeeping fields are optional', () => {
    expect(BenchmarkMetadataSchema.safeParse({ type: 'metadata' }).success).toBe(false);
    expect(
      BenchmarkMetadataSchema.parse({ type: 'metadata', dataset: 'tau/commonsense_qa', parallel_workers: 8 })
        .parallel_workers,
    ).toBe(8);
  });

  it('split problem ids at the first underscore after the index (persona ids contain one too)', () => {
    expect(parseProblemId('problem_17_okafor_3fa9c21b')).toEqual({ index: 17, personaId: 'okafor_3fa9c21b' });
    expect(parseProblemId('custom-id')).toBeNull();
  });

  it('study names: trimmed, not empty, no path or control characters', () => {
    expect(StudyNameSchema.parse('  MedQA pilot ')).toBe('MedQA pilot');
    expect(StudyNameSchema.safeParse('').success).toBe(false);
    expect(StudyNameSchema.safeParse('../etc').success).toBe(false);
    expect(StudyNameSchema.safeParse('a\u0000b').success).toBe(false);
  });
});
