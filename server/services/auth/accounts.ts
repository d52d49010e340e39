import { UsernameSchema } from '../../../shared/schemas/auth.ts';
import type { Identity } from '../../../shared/schemas/identity.ts';
import type { PeopleStorage, Researcher } from '../../storage/people-storage.ts';
import type { Storage } from '../../storage/storage.ts';
import {
  admitLoginAttempt,
  DEFAULT_LOGIN_THROTTLE,
  loginSucceeded,
  type LoginThrottlePolicy,
} from './login-throttle.ts';
import { hashPassword, verifyPassword } from './password-hash.ts';
import { assertStrongPassword } from './password-strength.ts';
import { issueSession, type IssuedSession } from './sessions.ts';
import { AppError } from '../../../shared/errors.ts';

/** The stores making an account touches: the account itself, and the first account's studies. */
export type AccountStores = Pick<Storage, 'people' | 'access'>;

/**
 * Creates a researcher account after checking the username and the password policy (length and strength, with the
 * username counted as known to an attacker: docs/security.md). Every way an account is made comes through here.
 * The install's first account becomes owner of every study nobody has a role in yet (the sample study imported at
 * first start, CLI imports made before any account existed), so those studies are not left without an owner.
 */
export async function createResearcher(stores: AccountStores, username: string, password: string): Promise<Researcher> {
  const name = UsernameSchema.safeParse(username);
  if (!name.success)
    throw new AppError('invalid_username', `username ${name.error.issues[0]?.message ?? 'is invalid'}`);
  await assertStrongPassword(password, name.data);
  let researcher: Researcher;
  try {
    researcher = await stores.people.createResearcher({
      username: name.data,
      passwordHash: await hashPassword(password),
    });
  } catch (error) {
    if (error instanceof AppError && error.code === 'conflict')
      throw new AppError('username_taken', `the username "${name.data}" is taken`);
    throw error;
  }
  if ((await stores.people.countResearchers()) === 1)
    await stores.access.adoptUnclaimedStudies(researcher.id, new Date());
  return researcher;
}

// Verified against when the username does not exist, so a wrong username costs the same time as a wrong password
// and response times do not reveal which accounts exist.
let decoyHash: Promise<string> | null = null;
function decoy(): Promise<string> {
  decoyHash ??= hashPassword('decoy-password-never-matches');
  return decoyHash;
}

/**
 * Checks a username and password and opens a researcher session. Any mismatch is the same `invalid_credentials`;
 * a username locked after repeated failures is refused with `rate_limited` before the password is checked
 * (login-throttle.ts). `now` and `throttle` are injectable for tests.
 */
export async function login(
  people: PeopleStorage,
  username: string,
  password: string,
  now = new Date(),
  throttle: LoginThrottlePolicy = DEFAULT_LOGIN_THROTTLE,
): Promise<{ identity: Identity; session: IssuedSession }> {
  await admitLoginAttempt(people, username, now, throttle);
  const researcher = await people.findResearcherByUsername(username.trim());
  const matches = await verifyPassword(password, researcher?.passwordHash ?? (await decoy()));
  if (!researcher || !matches) throw new AppError('invalid_credentials', 'wrong username or password');
  await loginSucceeded(people, username);
  const session = await issueSession(people, 'researcher', researcher.id, now);
  return { identity: { kind: 'researcher', researcherId: researcher.id, username: researcher.username }, session };
}

/**
 * At `serve` start-up: creates the first researcher from configuration when there is none yet, so a fresh server can
 * be signed into. Returns the account created, or null when researchers already exist.
 */
export async function ensureFirstResearcher(
  stores: AccountStores,
  account: { username: string; password: string },
): Promise<Researcher | null> {
  if ((await stores.people.countResearchers()) > 0) return null;
  try {
    return await createResearcher(stores, account.username, account.password);
  } catch (error) {
    // Another process starting on the same database created it first.
    if (error instanceof AppError && error.code === 'username_taken') return null;
    throw error;
  }
}
