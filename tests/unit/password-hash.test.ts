import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.ts';
import { hashPassword, passwordProblem, verifyPassword } from '../../server/services/auth/password-hash.ts';

describe('password hashing (scrypt)', () => {
  it('stores the parameters and a 16-byte salt with the hash, and verifies the right password only', async () => {
    const hash = await hashPassword('correct horse battery');
    const [algorithm, N, r, p, salt, key] = hash.split('$');
    expect([algorithm, N, r, p]).toEqual(['scrypt', String(2 ** 15), '8', '1']);
    expect(Buffer.from(salt ?? '', 'base64url')).toHaveLength(16);
    expect(Buffer.from(key ?? '', 'base64url')).toHaveLength(32);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterx', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('salts: the same password hashes differently each time', async () => {
    const [a, b] = await Promise.all([hashPassword('same password!'), hashPassword('same password!')]);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same password!', b)).toBe(true);
  });

  it('verifies hashes made with other parameters (so the cost can be raised later)', async () => {
    const cheap = await hashPassword('older account pw', { N: 1024, r: 8, p: 1 });
    expect(cheap.startsWith('scrypt$1024$8$1$')).toBe(true);
    expect(await verifyPassword('older account pw', cheap)).toBe(true);
  });

  it('treats malformed or absurd stored hashes as no match instead of throwing', async () => {
    const good = await hashPassword('a fine password');
    const salt = good.split('$')[4];
    for (const stored of [
      '',
      'plain-text',
      'bcrypt$2b$10$abc',
      `scrypt$1000$8$1$${salt}$AAAA`,
      `scrypt$${2 ** 30}$8$1$${salt}$AAAA`,
      good.replace(/\$[^$]+$/, '$AAAA'),
    ]) {
      expect(await verifyPassword('a fine password', stored), stored).toBe(false);
    }
  });

  it('rejects passwords shorter than 10 characters, and absurdly long ones', async () => {
    expect(passwordProblem('123456789')).toMatch(/at least 10/);
    expect(passwordProblem('1234567890')).toBeNull();
    expect(passwordProblem('x'.repeat(1025))).toMatch(/at most 1024/);
    await expect(hashPassword('short')).rejects.toBeInstanceOf(AppError);
    await expect(hashPassword('short')).rejects.toMatchObject({ code: 'weak_password' });
    expect(await verifyPassword('x'.repeat(5000), await hashPassword('1234567890'))).toBe(false);
  });

  it('normalizes Unicode, so the same password typed on another keyboard still matches', async () => {
    const composed = 'caf\u00e9-au-lait!';
    const decomposed = 'cafe\u0301-au-lait!';
    expect(await verifyPassword(decomposed, await hashPassword(composed))).toBe(true);
  });
});
