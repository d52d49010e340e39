import { z } from 'zod';

/** Who is making a request. Set by the auth plugin from the signed session cookie; null for nobody. */
export const PARTICIPANT_ROLES = ['actor', 'rater'] as const;
export const ParticipantRoleSchema = z.enum(PARTICIPANT_ROLES);
export type ParticipantRole = z.infer<typeof ParticipantRoleSchema>;

export type Identity =
  | { kind: 'researcher'; researcherId: string; username: string }
  | { kind: 'participant'; participantId: string; studyId: string; role: ParticipantRole };
