import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.ts';
import { appErrorData, rebuildAppError } from '../../server/services/agreement/report-task.ts';

/** An AppError crosses from the report pool's thread as data and is rebuilt with its code, message and extras. */
describe('AppError across the report thread boundary', () => {
  it('a copied AppError loses its class: that is why it crosses as data', () => {
    const copied: unknown = structuredClone(new AppError('not_found', 'no such study'));
    expect(copied).not.toBeInstanceOf(AppError);
    expect((copied as { code?: unknown }).code).toBeUndefined();
  });

  it('rebuilt with the same status, body and retryability', () => {
    const original = new AppError('invalid_payload', 'invalid querystring: $.epsilon: too big', {
      issues: [{ path: '$.epsilon', message: 'too big' }],
      details: { limit: 1 },
    });
    const rebuilt = rebuildAppError(structuredClone(appErrorData(original)));
    expect(rebuilt).toBeInstanceOf(AppError);
    expect(rebuilt.status).toBe(400);
    expect(rebuilt.retryable).toBe(original.retryable);
    expect(rebuilt.message).toBe(original.message);
    expect(rebuilt.toBody()).toEqual(original.toBody());
  });

  it('without extras, none appear', () => {
    const rebuilt = rebuildAppError(structuredClone(appErrorData(new AppError('unavailable', 'later'))));
    expect(rebuilt.toBody()).toEqual({ error: 'unavailable', message: 'later' });
    expect(rebuilt.status).toBe(503);
  });
});
