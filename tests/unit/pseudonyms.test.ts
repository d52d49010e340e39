import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { pseudonym, pseudonymKeyName } from '../../server/services/research/pseudonyms.ts';

describe('pseudonym', () => {
  const pid = '5f01a1b2c3d4e5a1b2c3d4e5';

  it('is the kind prefix and the first 16 hex characters of HMAC-SHA256 under the key', () => {
    const digest = createHmac('sha256', 'key-a').update(`prolificPid\u0000${pid}`).digest('hex');
    expect(pseudonym('key-a', 'prolificPid', pid)).toBe(`pid_${digest.slice(0, 16)}`);
    expect(pseudonym('key-a', 'participant', 'x')).toMatch(/^p_[0-9a-f]{16}$/);
    expect(pseudonym('key-a', 'prolificSession', 'x')).toMatch(/^ses_[0-9a-f]{16}$/);
    expect(pseudonym('key-a', 'prolificStudy', 'x')).toMatch(/^sid_[0-9a-f]{16}$/);
  });

  it('is the same for the same key and id, and differs across keys, ids and kinds', () => {
    expect(pseudonym('key-a', 'prolificPid', pid)).toBe(pseudonym('key-a', 'prolificPid', pid));
    expect(pseudonym('key-b', 'prolificPid', pid)).not.toBe(pseudonym('key-a', 'prolificPid', pid));
    expect(pseudonym('key-a', 'prolificPid', `${pid}0`)).not.toBe(pseudonym('key-a', 'prolificPid', pid));
    // The kind is hashed, not only shown: the same text as a session id gets another digest.
    expect(pseudonym('key-a', 'prolificSession', pid).slice(4)).not.toBe(
      pseudonym('key-a', 'prolificPid', pid).slice(4),
    );
  });

  it('keys each study under its own secret name', () => {
    expect(pseudonymKeyName('study-1')).toBe('pseudonym:study-1');
    expect(pseudonymKeyName('study-2')).not.toBe(pseudonymKeyName('study-1'));
  });
});
