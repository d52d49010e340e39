import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.ts';
import { assertStrongPassword, MIN_PASSWORD_SCORE } from '../../server/services/auth/password-strength.ts';

async function refusal(password: string, username: string): Promise<AppError | null> {
  try {
    await assertStrongPassword(password, username);
    return null;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
}

describe('password strength (zxcvbn-ts, minimum score 3 of 4)', () => {
  it('refuses long but guessable passwords, saying why and what to do', async () => {
    expect(MIN_PASSWORD_SCORE).toBe(3);
    for (const password of ['aaaaaaaaaa', ' '.repeat(10), '1234567890', 'password123']) {
      const error = await refusal(password, 'alice');
      expect(error?.code, JSON.stringify(password)).toBe('weak_password');
      expect(error?.message).toMatch(/^the password is too easy to guess\. /);
      expect(error?.message).toContain('A few unrelated words, or a password manager, make a strong one.');
    }
    expect((await refusal('aaaaaaaaaa', 'alice'))?.message).toContain(
      'Repeated characters like "aaa" are easy to guess.',
    );
  });

  it('counts the username (and the app name) as known: a password built on them scores low', async () => {
    const error = await refusal('alice12345', 'alice');
    expect(error?.code).toBe('weak_password');
    expect(error?.message).toContain('There should not be any personal or page related data.');
    // The same password is fine for someone whose name it does not contain.
    expect(await refusal('quokkazebra42', 'bob')).toBeNull();
    expect((await refusal('quokkazebra42', 'QuokkaZebra'))?.code).toBe('weak_password');
    expect((await refusal('prefdisco12345', 'bob'))?.code).toBe('weak_password');
  });

  it('keeps the length bounds, and accepts a passphrase', async () => {
    expect((await refusal('Xq7!vR2#', 'bob'))?.message).toBe('the password must have at least 10 characters');
    expect((await refusal('x'.repeat(1025), 'bob'))?.message).toBe('the password must have at most 1024 characters');
    expect(await refusal('correct horse battery staple', 'bob')).toBeNull();
    expect(await refusal('a long enough password', 'admin')).toBeNull();
  });
});
