import { describe, expect, it } from 'vitest';
import { CALL_PURPOSES } from '../../server/models/model-provider.ts';
import { modelThreadFor } from '../../server/models/threaded/model-thread-routing.ts';

describe('which model-call thread makes a call', () => {
  it('the model under test’s turns go to the live thread, every other purpose to the research thread', () => {
    const routed = Object.fromEntries(CALL_PURPOSES.map((purpose) => [purpose, modelThreadFor(purpose)]));
    expect(routed).toEqual({
      assistant: 'live',
      simulated_user: 'research',
      rubric_judge: 'research',
      correctness_judge: 'research',
      disclosure_labeler: 'research',
      persona_generation: 'research',
      persona_coherence_check: 'research',
      general_dimensions: 'research',
      dimension_proposal: 'research',
      dimension_dedup: 'research',
      preference_instantiation: 'research',
      rubric_generation: 'research',
    });
  });
});
