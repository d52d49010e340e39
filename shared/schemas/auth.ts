import { z } from 'zod';
import { ParticipantRoleSchema } from './identity.ts';

/** Researcher usernames: short, printable, no spaces; compared case-insensitively by the server. */
export const UsernameSchema = z
  .string()
  .trim()
  .min(3, 'must have at least 3 characters')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]*$/, 'may contain letters, digits, ".", "_", "@" and "-"');

/** `POST /api/auth/login`. The password policy (length) applies when an account is created, not at login. */
export const LoginBodySchema = z.object({
  username: z.string().min(1, 'is required').max(64, 'must be at most 64 characters'),
  password: z.string().min(1, 'is required').max(1024, 'must be at most 1024 characters'),
});
export type LoginBody = z.infer<typeof LoginBodySchema>;

/**
 * A Prolific URL parameter as Prolific fills it (24 hex characters today; we accept any short id). An unfilled
 * template such as `{{%PROLIFIC_PID%}}` is rejected, so a misconfigured study link fails loudly. An empty value is
 * treated as absent, which is what a link opened outside Prolific gives.
 */
const ProlificIdSchema = z.preprocess(
  (v) => (v === '' || v === null ? undefined : v),
  z
    .string()
    .max(64, 'must be at most 64 characters')
    .regex(/^[A-Za-z0-9_-]+$/, 'must be a Prolific id (letters, digits, "_" and "-")')
    .optional(),
);

/** `POST /api/join/:code`: the query parameters of the invitation link, forwarded by the browser app. */
export const JoinBodySchema = z.object({
  PROLIFIC_PID: ProlificIdSchema,
  STUDY_ID: ProlificIdSchema,
  SESSION_ID: ProlificIdSchema,
});
export type JoinBody = z.infer<typeof JoinBodySchema>;

/** Invitation codes are 22 URL-safe characters; the bounds only keep junk away from the database. */
export const InviteCodeSchema = z
  .string()
  .min(8)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'is not an invitation code');

export const JoinResultSchema = z.object({
  participantId: z.string(),
  studyId: z.string(),
  role: ParticipantRoleSchema,
  /** True when this person had joined before (same Prolific id, or same browser session) and continues. */
  resumed: z.boolean(),
  /** The study's consent text, shown before anything else ('' when the study has none: the page shows a default). */
  consentText: z.string().optional(),
  /** The study's instructions for this person's role. */
  instructions: z.string().optional(),
});
export type JoinResult = z.infer<typeof JoinResultSchema>;

/** Error codes of the auth and join routes, beside the common ones (invalid_payload, unauthenticated, rate_limited). */
export const AUTH_ERROR_CODES = [
  'invalid_credentials',
  'invalid_invite',
  'study_paused',
  'study_closed',
  'role_conflict',
  'cross_origin',
] as const;
export type AuthRouteErrorCode = (typeof AUTH_ERROR_CODES)[number];
