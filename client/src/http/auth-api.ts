import { z } from 'zod';
import type { LoginBody } from '../../../shared/schemas/auth.ts';
import { ParticipantRoleSchema, type Identity } from '../../../shared/schemas/identity.ts';
import { ApiError, getJson, postJson } from './request.ts';

/** Signing in and out, and the first-run setup (docs/security.md). The session itself is an httpOnly cookie. */

const IdentitySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('researcher'), researcherId: z.string(), username: z.string() }),
  z.object({
    kind: z.literal('participant'),
    participantId: z.string(),
    studyId: z.string(),
    role: ParticipantRoleSchema,
  }),
]) satisfies z.ZodType<Identity>;

const IdentityResponse = z.object({ identity: IdentitySchema });
const OkResponse = z.object({ ok: z.literal(true) });
const SetupStatusSchema = z.object({ setupNeeded: z.boolean(), fromThisMachine: z.boolean() });

export type SetupStatus = z.infer<typeof SetupStatusSchema>;

/** Who this browser's session belongs to, or null when nobody is signed in. */
export async function fetchIdentity(): Promise<Identity | null> {
  try {
    return (await getJson('/api/auth/me', IdentityResponse)).identity;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

export async function login(credentials: LoginBody): Promise<Identity> {
  return (await postJson('/api/auth/login', credentials, IdentityResponse)).identity;
}

export async function logout(): Promise<void> {
  await postJson('/api/auth/logout', {}, OkResponse);
}

export function fetchSetupStatus(): Promise<SetupStatus> {
  return getJson('/api/auth/setup', SetupStatusSchema);
}

/** Creates the first researcher account (only while none exists, only from the server's machine) and signs it in. */
export async function createFirstResearcher(credentials: LoginBody): Promise<Identity> {
  return (await postJson('/api/auth/setup', credentials, IdentityResponse)).identity;
}
