import { z } from 'zod';
import { StudyRoleSchema } from './study-access.ts';

/** A study groups imported benchmark files and (later) runs, sessions and ratings. */
export const StudyNameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(120, 'must be at most 120 characters')
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u, 'may contain letters, digits, spaces, ".", "_" and "-"');

export const StudySchema = z.object({
  id: z.string(),
  name: StudyNameSchema,
  description: z.string(),
  createdAt: z.string(),
});
export type Study = z.infer<typeof StudySchema>;

export const StudySummarySchema = StudySchema.extend({
  recordCount: z.number().int(),
  personaCount: z.number().int(),
  fileCount: z.number().int(),
  /** The caller's role in this study; study lists hold only the studies the caller has a role in. */
  myRole: StudyRoleSchema,
});
export type StudySummary = z.infer<typeof StudySummarySchema>;

/** What `import` did. Importing the same content again reports zero additions. */
export const ImportOutcomeSchema = z.object({
  studyId: z.string(),
  studyCreated: z.boolean(),
  fileSha256: z.string(),
  alreadyImported: z.boolean(),
  recordsAdded: z.number().int(),
  recordsUnchanged: z.number().int(),
  personasAdded: z.number().int(),
  criteriaAdded: z.number().int(),
});
export type ImportOutcome = z.infer<typeof ImportOutcomeSchema>;

/** One row of a study's record list, small enough to page through in the browser. */
export const RecordSummarySchema = z.object({
  problemId: z.string(),
  personaId: z.string(),
  personaName: z.string(),
  task: z.string(),
  question: z.string(),
  preferenceCount: z.number().int(),
  criterionCount: z.number().int(),
});
export type RecordSummary = z.infer<typeof RecordSummarySchema>;

export const HealthSchema = z.object({ ok: z.literal(true), version: z.string() });
export type Health = z.infer<typeof HealthSchema>;
