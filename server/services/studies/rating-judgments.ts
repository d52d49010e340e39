import { AppError } from '../../../shared/errors.ts';
import type {
  LiveStudySettings,
  RaterCounts,
  RatingFlagPayload,
  RatingRevisePayload,
  RatingSkipPayload,
  RatingSubmitted,
} from '../../../shared/schemas/live-study.ts';
import type { Verdict } from '../../storage/study-work-storage.ts';
import { endTask } from './participant-outcomes.ts';
import { raterCounts } from './rater-counts.ts';
import { scoreIssues } from './rating-candidates.ts';
import { failedAttention, passesAttention, type Rater, type RatingDeps } from './rating-queue.ts';

/**
 * What a rater may do beside scoring: say they cannot judge an item, change their most recent judgment, flag an item,
 * and read their counters. docs/studies-and-ratings.md ("Changing a rating", "Can't judge", "Flags") has the rules.
 */

/** Who judges which item, and when: what every judgment or flag written to storage names. */
function byRater(deps: RatingDeps, rater: Rater, itemId: string) {
  return { studyId: rater.studyId, participantId: rater.participantId, itemId, now: deps.now() };
}

/** A rater's note as stored: without surrounding white space, and empty when none was written. */
const storedNote = (note: string | undefined): string => note?.trim() ?? '';

async function openSettings(deps: RatingDeps, studyId: string): Promise<LiveStudySettings> {
  const settings = await deps.storage.work.getSettings(studyId);
  if (!settings || settings.status === 'closed') throw new AppError('study_closed', 'the study is closed');
  return settings;
}

async function scoresChecked(deps: RatingDeps, rater: Rater, problemId: string, scores: Record<string, number>) {
  const record = await deps.storage.getRecord(rater.studyId, problemId);
  if (!record) throw new Error('the record of this item is missing');
  const issues = scoreIssues(record, scores);
  if (issues.length > 0) throw new AppError('invalid_payload', 'score every criterion of the rubric once', { issues });
}

/** Once the quota is met: ends the rater's task (stored outcome) and returns its code, as a rating would. */
async function completion(deps: RatingDeps, rater: Rater, settings: LiveStudySettings, rated: number) {
  if (rated < settings.quotas.ratingsPerRater) return null;
  const failed = failedAttention(await deps.storage.work.attentionTally(rater.studyId, rater.participantId));
  return endTask(deps, rater, failed ? 'failed_attention' : 'completed', settings);
}

/** "Can't judge" an item leased to the rater: same refusals as a rating (not_found, conflict, study_closed). */
export async function skipRating(deps: RatingDeps, rater: Rater, payload: RatingSkipPayload): Promise<RatingSubmitted> {
  const settings = await openSettings(deps, rater.studyId);
  const lease = await deps.storage.work.findRatingLease(rater.studyId, rater.participantId, payload.itemId);
  if (!lease) throw new AppError('not_found', 'this item is not assigned to you');
  const outcome = await deps.storage.work.skipRating({
    ...byRater(deps, rater, payload.itemId),
    reason: payload.reason,
    note: storedNote(payload.note),
    secondsSpent: payload.secondsSpent,
  });
  if (outcome.kind === 'already_rated') throw new AppError('conflict', 'you have already rated this item');
  if (outcome.kind === 'not_leased') throw new AppError('not_found', 'this item is no longer assigned to you');
  const completionCode = await completion(deps, rater, settings, outcome.rated);
  return { ...(await raterCounts(deps, rater, settings, outcome.rated)), completionCode };
}

/**
 * Replaces the rater's most recent judgment (scores or can't judge) with new values. Only that one, only while the
 * study is not closed, and not the judgment that completed their task (its completion code has been shown). Gold
 * items are scored again, so the attention check follows the new values.
 */
export async function reviseRating(
  deps: RatingDeps,
  rater: Rater,
  payload: RatingRevisePayload,
): Promise<RatingSubmitted> {
  const settings = await openSettings(deps, rater.studyId);
  const latest = await deps.storage.work.latestJudgment(rater.studyId, rater.participantId);
  if (!latest || latest.itemId !== payload.itemId)
    throw new AppError('conflict', 'only your most recent rating can be changed');
  if (latest.before + 1 >= settings.quotas.ratingsPerRater)
    throw new AppError('conflict', 'your task is complete, so its ratings can no longer be changed');
  let verdict: Verdict;
  if ('reason' in payload) {
    verdict = { kind: 'cant_judge', reason: payload.reason, note: storedNote(payload.note) };
  } else {
    await scoresChecked(deps, rater, latest.problemId, payload.scores);
    verdict = {
      kind: 'scores',
      scores: payload.scores,
      correct: payload.correct,
      justification: payload.justification ?? '',
      attentionPassed: latest.gold ? passesAttention(latest.gold, payload.scores) : null,
    };
  }
  const outcome = await deps.storage.work.reviseLatest({
    ...byRater(deps, rater, payload.itemId),
    verdict,
    secondsSpent: payload.secondsSpent,
  });
  if (outcome.kind === 'not_latest') throw new AppError('conflict', 'only your most recent rating can be changed');
  if (outcome.kind === 'answer_full')
    throw new AppError('conflict', 'this answer has meanwhile been rated by enough others; keep "can\'t judge"');
  return { ...(await raterCounts(deps, rater, settings, outcome.rated)), completionCode: null };
}

/** A flag on an item the rater holds or has judged: stored for researchers (assignments view, flags list). */
export async function flagItem(
  deps: RatingDeps,
  rater: Rater,
  payload: RatingFlagPayload,
): Promise<{ itemId: string; kind: RatingFlagPayload['kind'] }> {
  const stored = await deps.storage.work.flagItem({
    ...byRater(deps, rater, payload.itemId),
    kind: payload.kind,
    note: storedNote(payload.note),
  });
  if (!stored) throw new AppError('not_found', 'this item was never assigned to you');
  return { itemId: payload.itemId, kind: payload.kind };
}

/** The rater's counters, for their page's progress line and the out-of-work page. */
export async function ratingProgress(deps: RatingDeps, rater: Rater): Promise<RaterCounts> {
  const settings = await deps.storage.work.getSettings(rater.studyId);
  if (!settings) throw new AppError('study_closed', 'the study is not taking work now');
  return raterCounts(deps, rater, settings);
}
