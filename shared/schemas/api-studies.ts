import { z } from 'zod';
import { ISSUE_CODES, type ValidationIssue } from '../benchmark/issues.ts';
import { pageQuerySchema, StudyParamsSchema } from './api-common.ts';
import { InviteCodeSchema } from './auth.ts';
import { BenchmarkRecordSchema } from './benchmark.ts';
import { MODES, ModeSchema } from './evaluation.ts';
import { ParticipantRoleSchema } from './identity.ts';
import { GoldItemSchema, LiveStudySettingsSchema } from './live-study.ts';
import { LibraryPersonaSchema, PersonaSchema } from './persona.ts';
import { ImportOutcomeSchema, RecordSummarySchema, StudySummarySchema } from './study.ts';

/** Studies, records, personas, invitation links, live-study settings, rating candidates and benchmark imports. */

const Count = z.number().int().min(0);

export const StudiesResponseSchema = z.object({ studies: z.array(StudySummarySchema) });

export const RecordParamsSchema = StudyParamsSchema.extend({ problemId: z.string().min(1).max(500) });
export const RecordPageQuerySchema = pageQuerySchema(50, 500);
export const RecordPageSchema = z.object({ total: Count, items: z.array(RecordSummarySchema) });
export type RecordPage = z.infer<typeof RecordPageSchema>;
export const RecordResponseSchema = z.object({ record: BenchmarkRecordSchema });

export const PersonaParamsSchema = z.object({ personaId: z.string().min(1).max(200) });
export const PersonasResponseSchema = z.object({ personas: z.array(LibraryPersonaSchema) });
export const PersonaResponseSchema = z.object({ persona: PersonaSchema });

export const InviteSchema = z.object({
  code: z.string(),
  studyId: z.string(),
  role: ParticipantRoleSchema,
  createdAt: z.string(),
  revoked: z.boolean(),
  /** The link to hand out: `/join/<code>`. */
  path: z.string(),
});
export type Invite = z.infer<typeof InviteSchema>;
export const InviteParamsSchema = StudyParamsSchema.extend({ code: InviteCodeSchema });
export const CreateInviteBodySchema = z.strictObject({ role: ParticipantRoleSchema });
export const InvitesResponseSchema = z.object({ invites: z.array(InviteSchema) });
export const InviteResponseSchema = z.object({ invite: InviteSchema });

export const SettingsResponseSchema = z.object({ settings: LiveStudySettingsSchema });

/** `POST …/rating-candidates`: either chosen episodes, or a whole batch run's answers in the listed conditions. */
export const CandidatesBodySchema = z.union([
  z.strictObject({ episodeIds: z.array(z.string().min(1).max(200)).min(1).max(10_000) }),
  z.strictObject({ runId: z.string().min(1).max(200), modes: z.array(ModeSchema).min(1).max(MODES.length) }),
]);
export const CandidatesAddedSchema = z.object({ added: Count, unchanged: Count });
export const GoldBodySchema = z.strictObject({ items: z.array(GoldItemSchema).min(1).max(1000) });
export const GoldAddedSchema = z.object({ added: Count });

/** One finding about an uploaded benchmark file, by line and JSON path (shared/benchmark/issues.ts). */
export const ImportIssueSchema = z.object({
  severity: z.enum(['error', 'warning']),
  code: z.enum(ISSUE_CODES),
  line: z.number().int().nullable(),
  path: z.string(),
  message: z.string(),
}) satisfies z.ZodType<ValidationIssue>;
export type ImportIssue = z.infer<typeof ImportIssueSchema>;

/** `POST /api/studies/import`: what was stored, and the warnings (errors refuse the whole file). */
export const ImportedSchema = z.object({
  outcome: ImportOutcomeSchema,
  recordCount: Count,
  warningCount: Count,
  warnings: z.array(ImportIssueSchema),
});
export type Imported = z.infer<typeof ImportedSchema>;

/** `details` of the 422 `invalid_file` refusal: nothing was stored; at most 500 issues are listed, all are counted. */
export const ImportRefusalDetailsSchema = z.object({
  errorCount: Count,
  warningCount: Count,
  recordCount: Count,
  lineCount: Count,
  issues: z.array(ImportIssueSchema),
});
export type ImportRefusalDetails = z.infer<typeof ImportRefusalDetailsSchema>;
