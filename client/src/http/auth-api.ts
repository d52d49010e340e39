import { OkSchema } from '../../../shared/schemas/api-common.ts';
import {
  IdentityResponseSchema,
  SetupStatusSchema,
  type SetupBody,
  type SetupStatus,
} from '../../../shared/schemas/api-auth.ts';
import type { LoginBody } from '../../../shared/schemas/auth.ts';
import type { Identity } from '../../../shared/schemas/identity.ts';
import { ApiError, getJson, postJson } from './request.ts';

/**
 * Signing in and out, and the first-run setup (docs/security.md). The session itself is an httpOnly cookie. Answers are
 * parsed with the schemas the routes declare (shared/schemas/api-auth.ts).
 */

export type { SetupStatus } from '../../../shared/schemas/api-auth.ts';

/** Who this browser's session belongs to, or null when nobody is signed in. */
export async function fetchIdentity(signal?: AbortSignal): Promise<Identity | null> {
  try {
    return (await getJson('/api/auth/me', IdentityResponseSchema, signal)).identity;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

export async function login(credentials: LoginBody, signal?: AbortSignal): Promise<Identity> {
  return (await postJson('/api/auth/login', credentials, IdentityResponseSchema, signal)).identity;
}

export async function logout(signal?: AbortSignal): Promise<void> {
  await postJson('/api/auth/logout', {}, OkSchema, signal);
}

export function fetchSetupStatus(signal?: AbortSignal): Promise<SetupStatus> {
  return getJson('/api/auth/setup', SetupStatusSchema, signal);
}

/**
 * Creates the first researcher account (only while none exists, only from the server's machine, with the one-time
 * token of the setup link the server printed) and signs it in.
 */
export async function createFirstResearcher(credentials: SetupBody, signal?: AbortSignal): Promise<Identity> {
  return (await postJson('/api/auth/setup', credentials, IdentityResponseSchema, signal)).identity;
}
