import { z } from 'zod';
import { RATING_FLAG_KINDS, StudyStatusSchema } from './live-study.ts';

/**
 * What researchers see of a live study's assignments (GET /api/studies/:id/assignments): each play unit's and answer's
 * progress, each rater's and actor's counts, and raters' reports on items.
 */

const Count = z.number().int().min(0);

export const PlayUnitProgressSchema = z.object({
  problemId: z.string(),
  model: z.string(),
  quota: Count,
  completed: Count,
  active: Count,
});
export type PlayUnitProgress = z.infer<typeof PlayUnitProgressSchema>;

export const CandidateProgressSchema = z.object({
  itemId: z.string(),
  problemId: z.string(),
  sourceEpisodeId: z.string().nullable(),
  isGold: z.boolean(),
  rated: Count,
  active: Count,
  /** Raters who said they cannot judge it, and raters who flagged it. */
  cantJudge: Count.optional(),
  flagged: Count.optional(),
  /** Taken out of the queue by the researcher (never handed out again); only answers nobody had rated. */
  withdrawn: z.boolean().optional(),
});
export type CandidateProgress = z.infer<typeof CandidateProgressSchema>;

export const RaterProgressSchema = z.object({
  participantId: z.string(),
  /** The rater's Prolific id; null when they joined without one. */
  prolificPid: z.string().nullable(),
  /** Scored ratings; "can't judge" answers are counted apart. */
  rated: Count,
  cantJudge: Count.optional(),
  active: Count,
  attentionChecked: Count,
  attentionPassed: Count,
});
export type RaterProgress = z.infer<typeof RaterProgressSchema>;

export const ActorProgressSchema = z.object({
  participantId: z.string(),
  prolificPid: z.string().nullable(),
  completed: Count,
  active: Count,
  /** Assignments that ended without an episode to keep: expired or released (idle timeout, left the study). */
  dropped: Count,
  lastActivityAt: z.string(),
});
export type ActorProgress = z.infer<typeof ActorProgressSchema>;

/** A rater's report on an item, as researchers see it. */
export const RatingFlagSchema = z.object({
  itemId: z.string(),
  problemId: z.string(),
  sourceEpisodeId: z.string().nullable(),
  participantId: z.string(),
  kind: z.enum(RATING_FLAG_KINDS),
  note: z.string(),
  createdAt: z.string(),
});
export type RatingFlag = z.infer<typeof RatingFlagSchema>;

/** What researchers see of a study's assignments. */
export const AssignmentProgressSchema = z.object({
  studyId: z.string(),
  status: StudyStatusSchema,
  raterOverlap: Count,
  plays: z.array(PlayUnitProgressSchema),
  candidates: z.array(CandidateProgressSchema),
  raters: z.array(RaterProgressSchema),
  actors: z.array(ActorProgressSchema),
  flags: z.array(RatingFlagSchema).optional(),
});
export type AssignmentProgress = z.infer<typeof AssignmentProgressSchema>;
