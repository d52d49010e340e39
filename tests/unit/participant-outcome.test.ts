import { describe, expect, it } from 'vitest';
import { LiveStudySettingsSchema } from '../../shared/schemas/live-study.ts';
import {
  isProlificPidFormat,
  outcomeReplaces,
  PARTICIPANT_OUTCOMES,
} from '../../shared/schemas/participant-outcome.ts';
import { completionCodeFor, outcomeView } from '../../server/services/studies/participant-outcomes.ts';

describe('which stored outcome stands', () => {
  it('anything replaces nothing; a finished task outranks a partial one; a screen-out is final', () => {
    for (const o of PARTICIPANT_OUTCOMES) expect(outcomeReplaces(null, o)).toBe(true);
    expect(outcomeReplaces('timed_out', 'completed')).toBe(true);
    expect(outcomeReplaces('no_work', 'failed_attention')).toBe(true);
    expect(outcomeReplaces('completed', 'timed_out')).toBe(false);
    expect(outcomeReplaces('completed', 'no_work')).toBe(false);
    // Equal ranks replace: the newer code and time are the ones the person saw last.
    expect(outcomeReplaces('no_work', 'no_work')).toBe(true);
    expect(outcomeReplaces('timed_out', 'no_work')).toBe(true);
    for (const o of PARTICIPANT_OUTCOMES.filter((x) => x !== 'screened_out')) {
      expect(outcomeReplaces('screened_out', o)).toBe(false);
    }
  });
});

describe('Prolific id format', () => {
  it('takes 24 hexadecimal characters (either case) and nothing else', () => {
    expect(isProlificPidFormat('5f0c0ffee0c0ffee0c0ffee1')).toBe(true);
    expect(isProlificPidFormat('5F0C0FFEE0C0FFEE0C0FFEE1')).toBe(true);
    expect(isProlificPidFormat('5f0c0ffee0c0ffee0c0ffee')).toBe(false);
    expect(isProlificPidFormat('5f0c0ffee0c0ffee0c0ffee12')).toBe(false);
    expect(isProlificPidFormat('5f0c0ffee0c0ffee0c0ffeeg')).toBe(false);
    expect(isProlificPidFormat('{{%PROLIFIC_PID%}}')).toBe(false);
    expect(isProlificPidFormat('')).toBe(false);
  });
});

describe('what a participant is shown of their end', () => {
  const settings = LiveStudySettingsSchema.parse({
    completionCodes: { completed: 'DONE', noWork: '' },
    completionUrls: { completed: 'https://app.prolific.com/submissions/complete?cc=DONE' },
  });

  it("codes come from the settings by outcome; '' is no code", () => {
    expect(completionCodeFor(settings, 'completed')).toBe('DONE');
    expect(completionCodeFor(settings, 'no_work')).toBeNull();
    expect(completionCodeFor(settings, 'screened_out')).toBeNull();
  });

  it('keeps the stored code, and takes the URL for the outcome from the settings now', () => {
    const stored = {
      studyId: 's',
      participantId: 'p',
      outcome: 'completed' as const,
      completionCode: 'OLD-CODE',
      endedAt: '2030-01-01T00:00:00.000Z',
    };
    expect(outcomeView(stored, settings)).toEqual({
      outcome: 'completed',
      completionCode: 'OLD-CODE',
      completionUrl: 'https://app.prolific.com/submissions/complete?cc=DONE',
      at: '2030-01-01T00:00:00.000Z',
    });
    expect(outcomeView({ ...stored, outcome: 'timed_out' }, settings).completionUrl).toBeNull();
  });
});
