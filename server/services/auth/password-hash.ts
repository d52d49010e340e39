import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { AppError } from '../../../shared/errors.ts';

/**
 * Password hashing with scrypt (memory-hard, so guessing on GPUs is expensive). The stored string carries its own
 * parameters, `scrypt$N$r$p$salt$hash` (salt and hash base64url), so the cost can be raised later and old hashes still
 * verify.
 */

export const MIN_PASSWORD_LENGTH = 10;
/** Long enough for any passphrase; bounds the work a single login request can cause. */
export const MAX_PASSWORD_LENGTH = 1024;

const DEFAULT_PARAMS = { N: 2 ** 15, r: 8, p: 1 };
const SALT_BYTES = 16;
const KEY_BYTES = 32;
// scrypt needs 128·N·r bytes (32 MiB at the defaults), exactly Node's default cap; leave room above it.
const MAX_MEMORY = 256 * 1024 * 1024;

/** Why a password is not acceptable for a new account, or null when it is. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `the password must have at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `the password must have at most ${MAX_PASSWORD_LENGTH} characters`;
  return null;
}

function derive(password: string, salt: Buffer, params: ScryptOptions): Promise<Buffer> {
  // The async form runs on libuv's thread pool: hashing never blocks the event loop that serves live sessions.
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_BYTES, { ...params, maxmem: MAX_MEMORY }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** Hashes a new password; refuses one that breaks the policy with `weak_password`. */
export async function hashPassword(
  password: string,
  params: { N: number; r: number; p: number } = DEFAULT_PARAMS,
): Promise<string> {
  const problem = passwordProblem(password);
  if (problem) throw new AppError('weak_password', problem);
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

const HASH_PATTERN = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

/**
 * True when the password matches the stored hash. A malformed hash, or parameters outside sane bounds (a damaged or
 * tampered database must not make one login allocate gigabytes), is simply no match.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (password.length > MAX_PASSWORD_LENGTH) return false;
  const match = HASH_PATTERN.exec(stored);
  if (!match) return false;
  const [N, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (N < 2 || (N & (N - 1)) !== 0 || r < 1 || p < 1 || p > 16 || 128 * N * r > MAX_MEMORY) return false;
  const salt = Buffer.from(match[4] as string, 'base64url');
  const expected = Buffer.from(match[5] as string, 'base64url');
  if (expected.length !== KEY_BYTES) return false;
  const actual = await derive(password, salt, { N, r, p });
  return timingSafeEqual(actual, expected);
}
