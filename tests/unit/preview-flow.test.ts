import { describe, expect, it } from 'vitest';
import {
  nextPosition,
  previewSteps,
  type PreviewPosition,
} from '../../client/src/features/research/preview/preview-flow.ts';

const at = (step: PreviewPosition['step']): PreviewPosition => ({ step, end: 'completed' });

describe('the participant preview flow', () => {
  it('lists the pages of each role in visit order, the screening question only when the study asks one', () => {
    expect(previewSteps('actor', false)).toEqual(['consent', 'instructions', 'practice', 'task', 'done']);
    expect(previewSteps('rater', false)).toEqual(['consent', 'instructions', 'task', 'done']);
    expect(previewSteps('rater', true)).toEqual(['screening', 'consent', 'instructions', 'task', 'done']);
  });

  it("follows the pages' own buttons: an actor through the practice round, a rater straight to the task", () => {
    expect(nextPosition('actor', at('screening'), 'screening-yes')).toEqual(at('consent'));
    expect(nextPosition('actor', at('consent'), 'consent')).toEqual(at('instructions'));
    expect(nextPosition('actor', at('instructions'), 'instructions')).toEqual(at('practice'));
    expect(nextPosition('rater', at('instructions'), 'instructions')).toEqual(at('task'));
    expect(nextPosition('actor', at('practice'), 'practice')).toEqual(at('task'));
    expect(nextPosition('rater', at('task'), 'submitted')).toEqual(at('done'));
    expect(nextPosition('actor', at('done'), 'more')).toEqual(at('task'));
  });

  it('ends a "no" to the screening question on the done page with the screened-out end', () => {
    expect(nextPosition('rater', at('screening'), 'screening-no')).toEqual({ step: 'done', end: 'screened_out' });
    // A task submitted afterwards shows the completed end again.
    expect(nextPosition('rater', { step: 'task', end: 'screened_out' }, 'submitted')).toEqual(at('done'));
  });
});
