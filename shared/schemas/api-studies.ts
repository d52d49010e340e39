import { z } from 'zod';
import { ISSUE_CODES, type ValidationIssue } from '../benchmark/issues.ts';
import { pageQuerySchema, StudyParamsSchema } from './api-common.ts';
import { InviteCodeSchema } from './auth.ts';
import { BenchmarkRecordSchema } from './benchmark.ts';
import { MODES, ModeSchema } from './evaluation.ts';
import { ParticipantRoleSchema } from './identity.ts';
import { GoldItemSchema, LiveStudySettingsSchema } from './live-study.ts';
import { LibraryPersonaSchema, PersonaSchema } from './persona.ts';
import { ImportOutcomeSchema, RecordSummarySchema, StudyNameSchema, StudySchema, StudySummarySchema } from './study.ts';

/** Studies, records, personas, invitation links, live-study settings, rating candidates and benchmark imports. */

const Count = z.number().int().min(0);

export const StudiesResponseSchema = z.object({ studies: z.array(StudySummarySchema) });

/** `POST /api/studies`: an empty study, to import records into afterwards. Names are unique (409 otherwise). */
export const CreateStudyBodySchema = z.strictObject({
  name: StudyNameSchema,
  description: z.string().trim().max(2000, 'must be at most 2000 characters').optional(),
});
export type CreateStudyBody = z.infer<typeof CreateStudyBodySchema>;
export const StudyResponseSchema = z.object({ study: StudySchema });

/**
 * `GET /api/studies/:studyId/problem-ids?q=`: the study's problem ids containing `q` (case-insensitive), in file
 * order, at most `limit` of them; `total` counts every match, so a picker can say that more exist.
 */
export const ProblemIdsQuerySchema = z.object({
  q: z.string().max(500).default(''),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export const ProblemIdsResponseSchema = z.object({ total: Count, ids: z.array(z.string()) });
export type ProblemIdsResponse = z.infer<typeof ProblemIdsResponseSchema>;

export const RecordParamsSchema = StudyParamsSchema.extend({ problemId: z.string().min(1).max(500) });
export const RecordPageQuerySchema = pageQuerySchema(50, 500);
export const RecordPageSchema = z.object({ total: Count, items: z.array(RecordSummarySchema) });
export type RecordPage = z.infer<typeof RecordPageSchema>;
export const RecordResponseSchema = z.object({ record: BenchmarkRecordSchema });

export const PersonaParamsSchema = z.object({ personaId: z.string().min(1).max(200) });
export const PersonasResponseSchema = z.object({ personas: z.array(LibraryPersonaSchema) });
export const PersonaResponseSchema = z.object({ persona: PersonaSchema });

export const InviteRevokeModeSchema = z.enum(['finish', 'lock']);
export type InviteRevokeMode = z.infer<typeof InviteRevokeModeSchema>;

export const InviteSchema = z.object({
  code: z.string(),
  studyId: z.string(),
  role: ParticipantRoleSchema,
  createdAt: z.string(),
  revoked: z.boolean(),
  /** How the link was revoked ('finish': people who joined may come back to finish; 'lock': locked out); null if not. */
  revokeMode: InviteRevokeModeSchema.nullable(),
  /** Shown in the console only; '' for none. */
  label: z.string(),
  /** Distinct participants who may join through the link; null for no cap. */
  maxParticipants: z.number().int().min(1).nullable(),
  /** After this time the link admits nobody new; null when it does not expire. */
  expiresAt: z.string().nullable(),
  /** Distinct participants who joined through the link. */
  participants: Count,
  /** Of those, how many hold work in hand now (an unexpired play or rating assignment). */
  midTask: Count,
  /** The link to hand out: `/join/<code>`. */
  path: z.string(),
});
export type Invite = z.infer<typeof InviteSchema>;
export const InviteParamsSchema = StudyParamsSchema.extend({ code: InviteCodeSchema });

/** The most participants one link may admit: far above any study's size, low enough to be a plain integer. */
export const MAX_INVITE_PARTICIPANTS = 100_000;
const InviteLimitFields = {
  label: z
    .string()
    .trim()
    .max(200, 'a label has at most 200 characters')
    .refine((s) => !/\p{Cc}/u.test(s), 'a label is one line of text, without control characters'),
  maxParticipants: z.number().int().min(1).max(MAX_INVITE_PARTICIPANTS).nullable(),
  /** An ISO date-time with its offset; the server refuses one that has already passed. */
  expiresAt: z.iso.datetime({ offset: true }).nullable(),
};
export const CreateInviteBodySchema = z.strictObject({
  role: ParticipantRoleSchema,
  label: InviteLimitFields.label.optional(),
  maxParticipants: InviteLimitFields.maxParticipants.optional(),
  expiresAt: InviteLimitFields.expiresAt.optional(),
});
export type CreateInviteBody = z.infer<typeof CreateInviteBodySchema>;
/** `PATCH …/invites/:code`: the fields given change (null removes a cap or expiry); the others stay. */
export const UpdateInviteBodySchema = z
  .strictObject({
    label: InviteLimitFields.label.optional(),
    maxParticipants: InviteLimitFields.maxParticipants.optional(),
    expiresAt: InviteLimitFields.expiresAt.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'name at least one of label, maxParticipants, expiresAt');
export type UpdateInviteBody = z.infer<typeof UpdateInviteBodySchema>;
/** `DELETE …/invites/:code` may carry `{ mode }`; without it, people who joined may come back to finish. */
export const RevokeInviteBodySchema = z.strictObject({ mode: InviteRevokeModeSchema.default('finish') });
export const InvitesResponseSchema = z.object({ invites: z.array(InviteSchema) });
export const InviteResponseSchema = z.object({ invite: InviteSchema });

export const SettingsResponseSchema = z.object({ settings: LiveStudySettingsSchema });

const EpisodeIds = z.array(z.string().min(1).max(200)).min(1).max(10_000);
const RunAnswers = { runId: z.string().min(1).max(200), modes: z.array(ModeSchema).min(1).max(MODES.length) };
/** `dryRun: true` stores nothing and answers with a CandidatesPreview: what would be added, by model and condition. */
const DryRun = z.boolean().optional();

/** `POST …/rating-candidates`: either chosen episodes, or a whole batch run's answers in the listed conditions. */
export const CandidatesBodySchema = z.union([
  z.strictObject({ episodeIds: EpisodeIds, dryRun: DryRun }),
  z.strictObject({ ...RunAnswers, dryRun: DryRun }),
]);
export type CandidatesBody = z.infer<typeof CandidatesBodySchema>;
export const CandidatesAddedSchema = z.object({ added: Count, unchanged: Count });

/** The answers of one (model, condition) a request would add. */
export const CandidateGroupSchema = z.object({
  model: z.string(),
  mode: ModeSchema,
  /** The provider kind the model ran on, from the episode's provenance; null when the log does not say. */
  provider: z.string().nullable(),
  /** The offline test model (provider `scripted`): canned text, never research data. */
  testModel: z.boolean(),
  wouldAdd: Count,
  unchanged: Count,
});
export type CandidateGroup = z.infer<typeof CandidateGroupSchema>;

/** The answer to a dry run: nothing was stored. */
export const CandidatesPreviewSchema = z.object({
  dryRun: z.literal(true),
  wouldAdd: Count,
  unchanged: Count,
  groups: z.array(CandidateGroupSchema),
  /** Whether any answer that would be added comes from the offline test model. */
  testModel: z.boolean(),
  /**
   * The study shows raters the dialogue now, and an answer without one would switch that off for every item
   * (docs/studies-and-ratings.md, "Blinding").
   */
  hidesTranscripts: z.boolean(),
});
export type CandidatesPreview = z.infer<typeof CandidatesPreviewSchema>;
export const CandidatesResponseSchema = z.union([CandidatesAddedSchema, CandidatesPreviewSchema]);

/** `POST …/rating-candidates/withdraw`: answers by their item ids, or a batch run's answers in the listed conditions. */
export const WithdrawBodySchema = z.union([
  z.strictObject({ itemIds: z.array(z.string().min(1).max(200)).min(1).max(10_000) }),
  z.strictObject(RunAnswers),
]);
export type WithdrawBody = z.infer<typeof WithdrawBodySchema>;
/** `withdrawn`: taken out of the queue; `kept`: referenced answers that already have ratings, which stay. */
export const WithdrawnSchema = z.object({ withdrawn: Count, kept: Count });
export type Withdrawn = z.infer<typeof WithdrawnSchema>;
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
