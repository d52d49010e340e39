import { AppError } from '../../../shared/errors.ts';
import type { Mode } from '../../../shared/schemas/evaluation.ts';
import type { Withdrawn } from '../../../shared/schemas/api-studies.ts';
import { requireStudy, type SettingsDeps } from './study-settings.ts';
import { runEpisodeIds } from './rating-candidates.ts';

/**
 * The way back from "Send to raters": answers nobody has rated leave the queue and are never handed out again; answers
 * with ratings stay, so every stored rating keeps its item and agreement statistics keep their data. Allowed in any
 * study state, a closed one included (withdrawing never creates work).
 */

/** Withdraws answers by the item ids the researcher sees in the assignments view; an unknown id withdraws nothing. */
export async function withdrawItems(
  deps: SettingsDeps,
  studyId: string,
  itemIds: readonly string[],
): Promise<Withdrawn> {
  await requireStudy(deps.storage, studyId);
  const outcome = await deps.storage.work.withdrawRatingCandidates(studyId, { itemIds }, deps.now());
  if (outcome.missing.length > 0) {
    const missing = new Set(outcome.missing);
    const issues = itemIds.flatMap((id, i) =>
      missing.has(id) ? [{ path: `$.itemIds[${i}]`, message: 'no such answer in this study' }] : [],
    );
    throw new AppError('invalid_payload', 'some answers are not in this study; nothing was withdrawn', { issues });
  }
  return { withdrawn: outcome.withdrawn, kept: outcome.kept };
}

/** Withdraws a batch run's queued answers in the given conditions; those never queued are simply not there. */
export async function withdrawRunAnswers(
  deps: SettingsDeps,
  studyId: string,
  runId: string,
  modes: readonly Mode[],
): Promise<Withdrawn> {
  const episodeIds = await runEpisodeIds(deps, studyId, runId, modes);
  const { withdrawn, kept } = await deps.storage.work.withdrawRatingCandidates(studyId, { episodeIds }, deps.now());
  return { withdrawn, kept };
}
