import { z } from 'zod';
import { ModeSchema, UserTypeSchema } from '../../../shared/schemas/evaluation.ts';
import { ParticipantRoleSchema } from '../../../shared/schemas/identity.ts';
import { StudyStatusSchema, type AssignmentProgress } from '../../../shared/schemas/live-study.ts';
import { RUN_STATUSES, type RunInfo } from '../../../shared/schemas/research.ts';
import { ImportOutcomeSchema } from '../../../shared/schemas/study.ts';
import type { MetricsReport } from '../../../shared/stats/prefdisco-metrics-types.ts';

/**
 * Response shapes of the researcher API (docs/researcher-api.md) that `shared/` declares only as TypeScript types.
 * `satisfies` ties each schema to that type, so a change on the server side breaks the build here, not the page.
 */

const Count = z.number().int().min(0);

const RunProgressSchema = z.object({
  total: Count,
  done: Count,
  failed: Count,
  skipped: Count,
  running: Count,
  elapsedMs: z.number().min(0),
  calls: Count,
  inputTokens: Count,
  outputTokens: Count,
  costUsd: z.number().nullable(),
  error: z.object({ code: z.enum(['results_file_invalid', 'internal']), message: z.string() }).optional(),
});

export const RunSchema = z.object({
  id: z.string(),
  studyId: z.string(),
  status: z.enum(RUN_STATUSES),
  options: z.object({
    model: z.string(),
    judge: z.string(),
    simulator: z.string(),
    modes: z.array(ModeSchema),
    userTypes: z.array(UserTypeSchema.exclude(['no_user_interaction'])),
    maxTurns: z.number().int(),
    fixedQuestions: z.number().int().nullable(),
    maxProblems: z.number().int().nullable(),
    seed: z.number().int(),
    concurrency: z.number().int().optional(),
    resumedFrom: z.string().nullable().optional(),
  }),
  progress: RunProgressSchema.nullable(),
  createdAt: z.string(),
  updatedAt: z.string().nullable(),
}) satisfies z.ZodType<RunInfo>;

export const EpisodeSummarySchema = z.object({
  id: z.string(),
  runId: z.string().nullable(),
  problemId: z.string(),
  personaId: z.string(),
  mode: ModeSchema,
  userType: UserTypeSchema,
  userSeat: z.enum(['simulated', 'person', 'none']),
  status: z.enum(['running', 'completed', 'failed', 'aborted']),
  weightedScore: z.number().nullable(),
  correct: z.union([z.literal(0), z.literal(1)]).nullable(),
  interactionTurns: z.number().int().nullable(),
  assistantModel: z.string(),
  judgeModel: z.string(),
  simulatorModel: z.string().nullable(),
  failure: z.object({ stage: z.string(), reason: z.string() }).nullable(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
});
export type EpisodeSummary = z.infer<typeof EpisodeSummarySchema>;
export type EpisodeStatus = EpisodeSummary['status'];

export const LiveEpisodeSchema = EpisodeSummarySchema.extend({
  studyId: z.string(),
  participantId: z.string(),
  assignmentId: z.string().nullable(),
});
export type LiveEpisode = z.infer<typeof LiveEpisodeSchema>;

export const AssignmentProgressSchema = z.object({
  studyId: z.string(),
  status: StudyStatusSchema,
  raterOverlap: Count,
  plays: z.array(z.object({ problemId: z.string(), model: z.string(), quota: Count, completed: Count, active: Count })),
  candidates: z.array(
    z.object({
      itemId: z.string(),
      problemId: z.string(),
      sourceEpisodeId: z.string().nullable(),
      isGold: z.boolean(),
      rated: Count,
      active: Count,
    }),
  ),
  raters: z.array(
    z.object({
      participantId: z.string(),
      rated: Count,
      active: Count,
      attentionChecked: Count,
      attentionPassed: Count,
    }),
  ),
  actors: z.array(
    z.object({
      participantId: z.string(),
      prolificPid: z.string().nullable(),
      completed: Count,
      active: Count,
      dropped: Count,
      lastActivityAt: z.string(),
    }),
  ),
}) satisfies z.ZodType<AssignmentProgress>;

const CiSchema = z.object({
  estimate: z.number().nullable(),
  low: z.number().nullable(),
  high: z.number().nullable(),
  resamples: Count,
  validResamples: Count,
});

const MetricsReportSchema = z.object({
  resamples: Count,
  seed: z.number().int(),
  level: z.number(),
  inputRows: Count,
  duplicateRowsDropped: Count,
  ignoredRows: Count,
  groups: z.array(
    z.object({
      model: z.string(),
      task: z.string(),
      records: Count,
      conditions: z.array(
        z.object({
          condition: z.enum(['baseline', 'oracle', 'discovery']),
          userType: z.string(),
          n: Count,
          failed: Count,
          prefAlign: CiSchema,
          prefAlign100: CiSchema,
          accuracy: CiSchema,
          accuracyN: Count,
          meanTurns: z.number().nullable(),
        }),
      ),
      oracleVsBaseline: z.object({ n: Count, deltaAccuracy: CiSchema }),
      discovery: z.array(
        z.object({
          userType: z.string(),
          n: Count,
          normalizedAlignment: CiSchema,
          worseRate: CiSchema,
          tieRate: CiSchema,
          betterRate: CiSchema,
          accuracyN: Count,
          deltaAccuracy: CiSchema,
        }),
      ),
    }),
  ),
}) satisfies z.ZodType<MetricsReport>;

const StatusCounts = z.object({ running: Count, completed: Count, failed: Count, aborted: Count });

export const StudyResultsSchema = z.object({
  metrics: MetricsReportSchema,
  episodes: z.object({ batch: StatusCounts, live: StatusCounts, twin: StatusCounts }),
  failed: Count,
});
export type StudyResults = z.infer<typeof StudyResultsSchema>;

export const InviteSchema = z.object({
  code: z.string(),
  studyId: z.string(),
  role: ParticipantRoleSchema,
  createdAt: z.string(),
  revoked: z.boolean(),
  path: z.string(),
});
export type Invite = z.infer<typeof InviteSchema>;

export const ModelInfoSchema = z.object({ name: z.string(), available: z.boolean() });
export type ModelInfo = z.infer<typeof ModelInfoSchema>;

export const ImportIssueSchema = z.object({
  severity: z.enum(['error', 'warning']),
  code: z.string(),
  line: z.number().int().nullable(),
  path: z.string(),
  message: z.string(),
});
export type ImportIssue = z.infer<typeof ImportIssueSchema>;

export const ImportedSchema = z.object({
  outcome: ImportOutcomeSchema,
  recordCount: Count,
  warningCount: Count,
  warnings: z.array(ImportIssueSchema),
});
export type Imported = z.infer<typeof ImportedSchema>;

/** The 422 body of a file with errors: nothing was stored. */
export const ImportRefusalSchema = z.object({
  error: z.literal('invalid_file'),
  message: z.string(),
  errorCount: Count,
  warningCount: Count,
  recordCount: Count,
  lineCount: Count,
  issues: z.array(ImportIssueSchema),
});
export type ImportRefusal = z.infer<typeof ImportRefusalSchema>;

/** `GET …/live-health`: live episodes by status with failure reasons, and each model's failures in this server process. */
export const LiveHealthSchema = z.object({
  episodes: z.object({
    running: Count,
    completed: Count,
    failed: Count,
    aborted: Count,
    failures: z.array(z.object({ stage: z.string(), reason: z.string(), count: Count })),
  }),
  models: z.array(
    z.object({
      name: z.string(),
      calls: Count,
      retries: Count,
      failedCalls: Count,
      failedAttempts: z.record(z.string(), Count),
      lastFailure: z.object({ code: z.string(), message: z.string(), at: z.string(), final: z.boolean() }).nullable(),
    }),
  ),
});
export type LiveHealth = z.infer<typeof LiveHealthSchema>;
