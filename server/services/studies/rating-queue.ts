import type {
  BlindRatingItem,
  LiveStudySettings,
  RatingSubmitPayload,
  RatingSubmitted,
} from '../../../shared/schemas/live-study.ts';
import type { Rng } from '../../../shared/stats/random.ts';
import type { GoldExpectation, NoWorkReason } from '../../storage/study-work-storage.ts';
import { blindRatingItem, transcriptsShown } from './blind-rating-item.ts';
import { raterCounts } from './rater-counts.ts';
import { scoreIssues } from './rating-candidates.ts';
import { endTask, isScreenedOut } from './participant-outcomes.ts';
import { requireAgreedConsent } from '../consent/consent-decisions.ts';
import type { SettingsDeps } from './study-settings.ts';
import { AppError } from '../../../shared/errors.ts';

export interface RatingDeps extends SettingsDeps {
  /** Draws whether the next item is a gold item. */
  rng: Rng;
}

/** A rater as the transport has authenticated them. */
export interface Rater {
  participantId: string;
  studyId: string;
}

export function noWork(reason: NoWorkReason): AppError {
  return reason === 'study_not_open'
    ? new AppError('study_closed', 'the study is not taking work now')
    : new AppError(
        'no_work',
        reason === 'quota_reached'
          ? 'you have done all the work this study asks of you'
          : 'there is no work left for you now',
      );
}

/**
 * The refusal for a rater the queue has nothing for. With quota left and nothing to rate now, the study's out-of-work
 * policy decides: 'wait' (the rater's page checks again later) stores nothing; 'code' ends their task with the noWork
 * outcome and code, which their page then reads (GET /api/participant/journey). A rater at their quota with no stored
 * end (the researcher lowered the quota below their count) gets it now, so their page never waits for nothing.
 */
async function outOfWork(deps: RatingDeps, rater: Rater, reason: NoWorkReason): Promise<AppError> {
  if (reason === 'study_not_open') return noWork(reason);
  const settings = await deps.storage.work.getSettings(rater.studyId);
  if (reason === 'no_work' && settings?.outOfWork.policy === 'code') {
    await endTask(deps, rater, 'no_work', settings);
  } else if (reason === 'quota_reached' && settings && !(await deps.storage.work.getOutcome(rater.participantId))) {
    const failed = failedAttention(await deps.storage.work.attentionTally(rater.studyId, rater.participantId));
    await endTask(deps, rater, failed ? 'failed_attention' : 'completed', settings);
  }
  return noWork(reason);
}

/** A gold item is passed when every criterion is within the item's tolerance of the expected score. */
export function passesAttention(gold: GoldExpectation, scores: Record<string, number>): boolean {
  return Object.entries(gold.expectedScores).every(([criterion, expected]) => {
    const given = scores[criterion];
    return given !== undefined && Math.abs(given - expected) <= gold.tolerance;
  });
}

/** Fewer than half of a rater's attention checks passed: their work is flagged and they get that completion code. */
export function failedAttention(tally: { checked: number; passed: number }): boolean {
  return tally.checked > 0 && tally.passed * 2 < tally.checked;
}

async function settingsOf(deps: RatingDeps, studyId: string): Promise<LiveStudySettings> {
  const settings = await deps.storage.work.getSettings(studyId);
  if (!settings) throw new AppError('study_closed', 'the study is not taking work now');
  return settings;
}

/** The rater's item in hand, else the next from the queue, as the rater may see it. */
export async function nextRating(deps: RatingDeps, rater: Rater): Promise<BlindRatingItem> {
  if (await isScreenedOut(deps.storage, rater.participantId)) {
    throw new AppError('no_work', 'your answer to the screening question ends your part in this study');
  }
  // No rating is stored for someone who has not agreed to the study's consent (docs/data-protection.md).
  await requireAgreedConsent(deps.storage, rater.participantId);
  const claim = await deps.storage.work.leaseNextRating(rater.studyId, rater.participantId, deps.now(), deps.rng);
  if (claim.kind === 'none') throw await outOfWork(deps, rater, claim.reason);
  const { lease } = claim;
  const [record, settings, withoutTranscript] = await Promise.all([
    deps.storage.getRecord(rater.studyId, lease.problemId),
    settingsOf(deps, rater.studyId),
    deps.storage.work.countCandidatesWithoutTranscript(rater.studyId),
  ]);
  if (!record) throw new Error('the record of this item is missing');
  return blindRatingItem({
    itemId: lease.itemId,
    record,
    answer: lease.answer,
    transcript: lease.transcript,
    showTranscript: transcriptsShown(settings.showTranscript, withoutTranscript),
  });
}

/**
 * Stores a rater's scores for an item leased to them: every rubric criterion scored 1–5 exactly once, correct 0/1.
 * Refusals: `not_found` (not leased to this rater, or the lease lapsed and the answer went to k others), `conflict`
 * (already rated), `invalid_payload` (scores do not match the rubric), `study_closed`.
 */
export async function submitRating(
  deps: RatingDeps,
  rater: Rater,
  payload: RatingSubmitPayload,
): Promise<RatingSubmitted> {
  const settings = await settingsOf(deps, rater.studyId);
  if (settings.status === 'closed') throw new AppError('study_closed', 'the study is closed');
  const lease = await deps.storage.work.findRatingLease(rater.studyId, rater.participantId, payload.itemId);
  if (!lease) throw new AppError('not_found', 'this item is not assigned to you');
  if (lease.status === 'completed') throw new AppError('conflict', 'you have already rated this item');
  const record = await deps.storage.getRecord(rater.studyId, lease.problemId);
  if (!record) throw new Error('the record of this item is missing');
  const issues = scoreIssues(record, payload.scores);
  if (issues.length > 0) throw new AppError('invalid_payload', 'score every criterion of the rubric once', { issues });

  const outcome = await deps.storage.work.submitRating({
    studyId: rater.studyId,
    participantId: rater.participantId,
    itemId: payload.itemId,
    scores: payload.scores,
    correct: payload.correct,
    justification: payload.justification ?? '',
    secondsSpent: payload.secondsSpent,
    attentionPassed: lease.gold ? passesAttention(lease.gold, payload.scores) : null,
    now: deps.now(),
  });
  if (outcome.kind === 'already_rated') throw new AppError('conflict', 'you have already rated this item');
  if (outcome.kind === 'not_leased') throw new AppError('not_found', 'this item is no longer assigned to you');

  const quota = settings.quotas.ratingsPerRater;
  let completionCode: string | null = null;
  if (outcome.rated >= quota) {
    // Stored with its code, so the end is shown again on another device.
    const failed = failedAttention(await deps.storage.work.attentionTally(rater.studyId, rater.participantId));
    completionCode = await endTask(deps, rater, failed ? 'failed_attention' : 'completed', settings);
  }
  return { ...(await raterCounts(deps, rater, settings, outcome.rated)), completionCode };
}
