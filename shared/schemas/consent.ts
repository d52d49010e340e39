import { z } from 'zod';

/** SHA-256 in lower-case hex: how a consent text is named between the page, the server and the exports. */
export const ConsentSha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in lower-case hex');

/**
 * The consent step as the participant's journey carries it: the exact text to show (the study's, or the role's default
 * in the study's language), its SHA-256 to send back with the decision, and the decision already stored, if any.
 */
export const ParticipantConsentSchema = z.object({
  text: z.string(),
  sha256: ConsentSha256Schema,
  /** null while the participant has not decided; 'agreed' on any device means the step is done. */
  decision: z.enum(['agreed', 'refused']).nullable(),
  decidedAt: z.string().nullable(),
});
export type ParticipantConsent = z.infer<typeof ParticipantConsentSchema>;

/** `POST /api/participant/consent`: the decision, and the SHA-256 of the text the page showed. */
export const ConsentBodySchema = z.strictObject({ agreed: z.boolean(), sha256: ConsentSha256Schema });
export type ConsentBody = z.infer<typeof ConsentBodySchema>;

/** One consent text a study has shown, as `GET /api/studies/:studyId/consent-versions` lists it. */
export const ConsentVersionViewSchema = z.object({
  /** The first 12 hex digits of the SHA-256: the `consent_version` column of the participants export. */
  version: z.string(),
  sha256: ConsentSha256Schema,
  role: z.enum(['actor', 'rater']),
  language: z.string(),
  /** When a participant first decided on this text. */
  firstSeenAt: z.string(),
  /** Whether the role is shown this text now; false once the study's consent changed. */
  current: z.boolean(),
  text: z.string(),
});
export const ConsentVersionsSchema = z.object({ versions: z.array(ConsentVersionViewSchema) });
export type ConsentVersions = z.infer<typeof ConsentVersionsSchema>;
