import { describe, expect, it } from 'vitest';
import { FORM_ORDER, invalidInFormOrder } from '../../client/src/features/research/settings/settings-focus.ts';
import {
  checkDraft,
  DEFAULT_SETTINGS,
  toDraft,
  type DraftField,
} from '../../client/src/features/research/settings/settings-draft.ts';

describe('settings form: the first invalid field, in form order', () => {
  it('lists every draft field exactly once', () => {
    const fields = Object.keys(toDraft(DEFAULT_SETTINGS)) as DraftField[];
    expect([...FORM_ORDER].sort()).toEqual([...fields].sort());
    expect(new Set(FORM_ORDER).size).toBe(FORM_ORDER.length);
  });

  it('orders errors as the form shows them, not as the error object was filled', () => {
    const ordered = invalidInFormOrder({
      urlNoWork: 'Invalid URL',
      playsPerActor: 'Enter a number',
      models: 'Too small',
      idleWarningSeconds: 'The warning must come before the idle timeout',
    });
    expect(ordered.map((e) => e.field)).toEqual(['models', 'playsPerActor', 'idleWarningSeconds', 'urlNoWork']);
    expect(ordered[0]).toEqual({ field: 'models', message: 'Too small' });
    expect(invalidInFormOrder({})).toEqual([]);
  });

  it("with checkDraft's errors: an emptied quota before a bad Prolific URL, whatever order they were made in", () => {
    const draft = { ...toDraft(DEFAULT_SETTINGS), models: ['scripted'], urlCompleted: 'not a url', playsPerActor: '' };
    const check = checkDraft(draft);
    if (check.ok) throw new Error('expected errors');
    const ordered = invalidInFormOrder(check.errors);
    expect(ordered[0]).toEqual({ field: 'playsPerActor', message: 'Enter a number' });
    expect(ordered.map((e) => e.field)).toContain('urlCompleted');
  });
});
