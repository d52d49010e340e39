import { z } from 'zod';

/** Who is making a request. Set by the auth plugin from the signed session cookie; null for nobody. */
export const PARTICIPANT_ROLES = ['actor', 'rater'] as const;
export const ParticipantRoleSchema = z.enum(PARTICIPANT_ROLES);
export type ParticipantRole = z.infer<typeof ParticipantRoleSchema>;

export const IdentitySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('researcher'), researcherId: z.string(), username: z.string() }),
  z.object({
    kind: z.literal('participant'),
    participantId: z.string(),
    studyId: z.string(),
    role: ParticipantRoleSchema,
  }),
]);
export type Identity = z.infer<typeof IdentitySchema>;
