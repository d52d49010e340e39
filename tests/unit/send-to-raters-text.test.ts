import { describe, expect, it } from 'vitest';
import type { CandidateGroup, CandidatesPreview } from '../../shared/schemas/api-studies.ts';
import {
  confirmQuestion,
  groupLines,
  testModelWarning,
  transcriptNotice,
  withdrawnText,
} from '../../client/src/features/research/runs/send-to-raters-text.ts';

const scripted: CandidateGroup = {
  model: 'scripted',
  mode: 'infer_persona',
  provider: 'scripted',
  testModel: true,
  wouldAdd: 64,
  unchanged: 0,
};

function preview(groups: CandidateGroup[], over: Partial<CandidatesPreview> = {}): CandidatesPreview {
  return {
    dryRun: true,
    wouldAdd: groups.reduce((n, g) => n + g.wouldAdd, 0),
    unchanged: groups.reduce((n, g) => n + g.unchanged, 0),
    groups,
    testModel: groups.some((g) => g.testModel && g.wouldAdd > 0),
    hidesTranscripts: false,
    ...over,
  };
}

describe('the Send to raters confirm text', () => {
  it('names the count and the model, and says loudly when it is the offline test model', () => {
    const all = preview([
      scripted,
      { ...scripted, mode: 'no_prompt' },
      { ...scripted, mode: 'persona_known', unchanged: 2 },
    ]);
    expect(confirmQuestion(all)).toBe('Add 192 answers from model scripted (offline test model!) to the rating queue?');
    expect(groupLines(all)).toEqual([
      'Discovery · scripted (offline test model!): 64 to add',
      'Baseline · scripted (offline test model!): 64 to add',
      'Oracle · scripted (offline test model!): 64 to add, 2 already queued',
    ]);
    expect(testModelWarning(all)).toMatch(/^scripted is the offline test model: canned answers/);
  });

  it('lists several models, warns only about test models that would be added, and says when nothing is new', () => {
    const real: CandidateGroup = { ...scripted, model: 'gpt-x', provider: 'openai', testModel: false, wouldAdd: 1 };
    const mixed = preview([real, { ...scripted, wouldAdd: 0, unchanged: 3 }]);
    expect(confirmQuestion(mixed)).toBe('Add 1 answer from model gpt-x to the rating queue?');
    expect(testModelWarning(mixed)).toBeNull();
    const both = preview([real, scripted]);
    expect(confirmQuestion(both)).toBe(
      'Add 65 answers from models gpt-x, scripted (offline test model!) to the rating queue?',
    );
    expect(confirmQuestion(preview([{ ...real, wouldAdd: 0, unchanged: 4 }]))).toMatch(/^Nothing new to add/);
  });

  it('says when the answers would switch the dialogue off, and what a withdrawal did', () => {
    expect(transcriptNotice(preview([scripted]))).toBeNull();
    expect(transcriptNotice(preview([scripted], { hidesTranscripts: true }))).toMatch(/no rater sees any dialogue/);
    expect(withdrawnText({ withdrawn: 190, kept: 2 })).toBe(
      '190 answers withdrawn: no rater will be given them. 2 answers already rated stay, with their ratings.',
    );
    expect(withdrawnText({ withdrawn: 1, kept: 0 })).toBe('1 answer withdrawn: no rater will be given them.');
    expect(withdrawnText({ withdrawn: 0, kept: 0 })).toBe('None of these answers was in the rating queue.');
  });
});
