import { describe, expect, it } from 'vitest';
import { ApiError } from '../../client/src/http/request.ts';
import { joinErrorText } from '../../client/src/store/participant-slice.ts';

function refusal(error: string, message: string, details?: Record<string, unknown>): ApiError {
  const body = { error, message, ...(details ? { details } : {}) };
  return new ApiError(message, 404, error, body, []);
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
});
