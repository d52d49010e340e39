import { z } from 'zod';

/** `POST /api/studies/:studyId/participants/delete`: the Prolific id the person joined the study with. */
export const DeleteParticipantBodySchema = z.strictObject({ prolificId: z.string().trim().min(1).max(100) });
export type DeleteParticipantBody = z.infer<typeof DeleteParticipantBodySchema>;

/** What a deletion removed (docs/data-protection.md, "Withdrawal and deletion"). */
export const ParticipantDeletionResultSchema = z.object({
  ok: z.literal(true),
  episodes: z.number().int().min(0),
  twins: z.number().int().min(0),
  ratings: z.number().int().min(0),
});
export type ParticipantDeletionResult = z.infer<typeof ParticipantDeletionResultSchema>;
