import type { LiveStudySettings, RaterCounts } from '../../../shared/schemas/live-study.ts';
import type { Storage } from '../../storage/storage.ts';

/** A rater as the transport has authenticated them. */
interface RaterRef {
  participantId: string;
  studyId: string;
}

/**
 * The rater's counters as they are: judgments so far (can't judge included, and how many of those), the quota, how
 * many more items the queue could hand them right now, and whether the quota is met. `rated` is passed when the
 * caller has just counted it inside its own write.
 */
export async function raterCounts(
  deps: { storage: Storage; now: () => Date },
  rater: RaterRef,
  settings: LiveStudySettings,
  rated?: number,
): Promise<RaterCounts> {
  const work = deps.storage.work;
  const [judged, cantJudge, available] = await Promise.all([
    rated ?? work.countRatings(rater.studyId, rater.participantId),
    work.countSkips(rater.studyId, rater.participantId),
    work.availableFor(rater.studyId, rater.participantId, deps.now()),
  ]);
  const quota = settings.quotas.ratingsPerRater;
  return { rated: judged, cantJudge, quota, available, finished: judged >= quota };
}
