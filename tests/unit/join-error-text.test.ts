import { describe, expect, it } from 'vitest';
import { ApiError } from '../../client/src/http/request.ts';
import { joinErrorText } from '../../client/src/features/participant/join-error-text.ts';

function refusal(
  error: string,
  message: string,
  details?: Record<string, unknown>,
  issues: { path: string; message: string }[] = [],
): ApiError {
  const body = { error, message, ...(details ? { details } : {}), ...(issues.length ? { issues } : {}) };
  return new ApiError(message, 404, error, body, issues);
}

describe('what the join page says when a link refuses', () => {
  it('says why a limited link took nobody new, and how someone who joined gets back', () => {
    const full = joinErrorText(
      refusal('invalid_invite', 'this invitation link has reached its limit of 2 participants', { reason: 'full' }),
    );
    expect(full).toMatch(/^This invitation link has reached its limit of participants/);
    expect(full).toMatch(/If you joined before, continue in the browser you started in/);
    expect(joinErrorText(refusal('invalid_invite', 'expired', { reason: 'expired' }))).toMatch(/has expired/);
    expect(joinErrorText(refusal('invalid_invite', 'withdrawn', { reason: 'withdrawn' }))).toMatch(/been withdrawn/);
  });

  it('keeps the general text for an unknown link or an unknown reason', () => {
    const general = /^This invitation link is not valid or has been withdrawn/;
    expect(joinErrorText(refusal('invalid_invite', 'not valid'))).toMatch(general);
    expect(joinErrorText(refusal('invalid_invite', 'x', { reason: 'toString' }))).toMatch(general);
    expect(joinErrorText(refusal('study_paused', 'paused'))).toMatch(/paused at the moment/);
  });

  it('says in its own words that the link’s Prolific ID is not one, in a sentence', () => {
    const pid = [{ path: '$.PROLIFIC_PID', message: 'must be 24 hexadecimal characters' }];
    const text = joinErrorText(refusal('invalid_payload', 'the server’s own wording', undefined, pid));
    expect(text).toMatch(/^This link carries a Prolific ID that is not valid \(a Prolific ID is 24 letters a–f/);
    expect(text).toMatch(/Please open the study from Prolific again, or contact the researcher\.$/);
    // Another field's refusal is not about the Prolific ID.
    const other = [{ path: '$.STUDY_ID', message: 'too long' }];
    expect(joinErrorText(refusal('invalid_payload', 'STUDY_ID is too long', undefined, other))).not.toMatch(
      /Prolific ID/,
    );
  });
});
