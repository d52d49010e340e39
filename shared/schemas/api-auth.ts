import { z } from 'zod';
import { InviteCodeSchema, LoginBodySchema } from './auth.ts';
import { IdentitySchema, ParticipantRoleSchema } from './identity.ts';
import { StudyStatusSchema } from './live-study.ts';

/** Response shapes of sign-in, first-run setup, joining and the participant's study page (docs/security.md). */

export const IdentityResponseSchema = z.object({ identity: IdentitySchema });

/** `GET /api/auth/setup`: whether the first researcher account still has to be created, and whether from here. */
export const SetupStatusSchema = z.object({ setupNeeded: z.boolean(), fromThisMachine: z.boolean() });
export type SetupStatus = z.infer<typeof SetupStatusSchema>;

/**
 * `POST /api/auth/setup`: the first account, with the one-time token of the setup link the server printed at start.
 * Optional here so that a request without it is answered `forbidden` with where to find the link.
 */
export const SetupBodySchema = LoginBodySchema.extend({ setupToken: z.string().max(200).optional() });
export type SetupBody = z.infer<typeof SetupBodySchema>;

export const JoinParamsSchema = z.object({ code: InviteCodeSchema });

/** `GET /api/participant/study`: what a participant's pages show before any work starts. */
export const ParticipantStudySchema = z.object({
  role: ParticipantRoleSchema,
  /** The consent for this role: raters get the rater consent when the study has one ('' : the page's default). */
  consentText: z.string(),
  instructions: z.string(),
  /** The researcher's estimate of this role's task in minutes (0: none given). */
  estimatedMinutes: z.number().int().optional(),
  status: StudyStatusSchema,
});
export type ParticipantStudy = z.infer<typeof ParticipantStudySchema>;
