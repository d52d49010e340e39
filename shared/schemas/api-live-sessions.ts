import { z } from 'zod';
import { pageQuerySchema, StudyParamsSchema } from './api-common.ts';

/**
 * The researcher's oversight of live play (docs/studies-and-ratings.md, "Stuck sessions and hoarded units"): the
 * units people hold right now, ending a stuck session, releasing a unit held without a session.
 */

/**
 * One unit a participant holds. `playing`: its live episode runs (replies 0 = started and never played: hoarding).
 * `held`: the assignment is still leased but no live episode runs on it (its last one ended without releasing it).
 */
export const LiveUnitSchema = z.object({
  state: z.enum(['playing', 'held']),
  assignmentId: z.string().nullable(),
  /** The running episode (`playing`), else the last episode played on the assignment. */
  episodeId: z.string(),
  participantId: z.string(),
  prolificPid: z.string().nullable(),
  problemId: z.string(),
  model: z.string(),
  startedAt: z.string(),
  /** The person's replies so far in this episode. */
  replies: z.number().int().min(0),
  /** When the episode last stored anything (a reply, a model turn), else when it started. */
  lastActivityAt: z.string(),
});
export type LiveUnit = z.infer<typeof LiveUnitSchema>;

/** `GET …/live-units`: a page of the units (the API's default page is the 1,000 the list once returned whole). */
export const LiveUnitsQuerySchema = pageQuerySchema(1000, 1000);
/** Rows per page of the console's table of units held now. */
export const LIVE_UNITS_PAGE = 25;
/** One page of units and how many are held in all. */
export const LiveUnitsSchema = z.object({ total: z.number().int().min(0), units: z.array(LiveUnitSchema) });
export type LiveUnits = z.infer<typeof LiveUnitsSchema>;

export const StudyEpisodeParamsSchema = StudyParamsSchema.extend({ episodeId: z.string().min(1).max(200) });
export const StudyAssignmentParamsSchema = StudyParamsSchema.extend({ assignmentId: z.string().min(1).max(200) });

/** Why a researcher ends a session or releases a unit: stored with the episode's end, and logged. */
export const ReasonBodySchema = z.strictObject({
  reason: z.string().trim().min(1, 'say why').max(500),
});
export type ReasonBody = z.infer<typeof ReasonBodySchema>;
