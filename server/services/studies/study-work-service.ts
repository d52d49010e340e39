import type {
  BlindRatingItem,
  GoldItem,
  LiveStudySettings,
  LiveStudySettingsBody,
  RaterCounts,
  RatingFlagPayload,
  RatingRevisePayload,
  RatingSkipPayload,
  RatingSubmitPayload,
  RatingSubmitted,
} from '../../../shared/schemas/live-study.ts';
import type { AssignmentProgress } from '../../../shared/schemas/assignment-progress.ts';
import type { CandidatesPreview, Withdrawn } from '../../../shared/schemas/api-studies.ts';
import type { Mode } from '../../../shared/schemas/evaluation.ts';
import type { Rng } from '../../../shared/stats/random.ts';
import type { Storage } from '../../storage/storage.ts';
import type { PlayLease } from '../../storage/study-work-storage.ts';
import type { StudyGate } from '../auth/join-study.ts';
import type { PlayQueue } from '../live/live-types.ts';
import { nextPlay, studyPlayQueue } from './play-queue.ts';
import { previewCandidates } from './candidate-preview.ts';
import {
  addGoldItems,
  addRatingCandidates,
  addRunAnswers,
  runAnswerIds,
  type HeldEpisode,
} from './rating-candidates.ts';
import { nextRating, submitRating, type Rater } from './rating-queue.ts';
import { flagItem, ratingProgress, reviseRating, skipRating } from './rating-judgments.ts';
import { getSettings, requireStudy, saveSettings, transition, type StudyTransition } from './study-settings.ts';
import { withdrawItems, withdrawRunAnswers } from './withdraw-candidates.ts';
import type { StudyPromptPacks } from './study-prompt-packs.ts';

export interface StudyWorkOptions {
  storage: Storage;
  isDeclaredModel: (name: string) => boolean;
  /** The server's prompt packs (PREFDISCO_PROMPTS_DIR), which settings may name; none: built-in prompts only. */
  promptPacks?: StudyPromptPacks;
  now?: () => Date;
  rng?: Rng;
}

/** Live studies, their queues and ratings: the use cases transport calls (HTTP researcher routes, rating sockets). */
export interface StudyWork {
  getSettings(studyId: string): Promise<LiveStudySettings | null>;
  saveSettings(studyId: string, body: LiveStudySettingsBody): Promise<LiveStudySettings>;
  transition(studyId: string, action: StudyTransition): Promise<LiveStudySettings>;
  addRatingCandidates(studyId: string, episodeIds: string[]): Promise<{ added: number; unchanged: number }>;
  /** addRatingCandidates for one episode the caller holds as stored (a live episode that just ended here). */
  addHeldEpisode(studyId: string, episode: HeldEpisode): Promise<{ added: number; unchanged: number }>;
  addRunAnswers(studyId: string, runId: string, modes: readonly Mode[]): Promise<{ added: number; unchanged: number }>;
  /** Dry runs of the two above: what they would add, by model and condition; nothing is stored. */
  previewRatingCandidates(studyId: string, episodeIds: string[]): Promise<CandidatesPreview>;
  previewRunAnswers(studyId: string, runId: string, modes: readonly Mode[]): Promise<CandidatesPreview>;
  /** Takes unrated answers out of the rating queue; rated ones stay. */
  withdrawItems(studyId: string, itemIds: string[]): Promise<Withdrawn>;
  withdrawRunAnswers(studyId: string, runId: string, modes: readonly Mode[]): Promise<Withdrawn>;
  addGoldItems(studyId: string, items: GoldItem[]): Promise<{ added: number }>;
  nextPlay(actor: { studyId: string; participantId: string }): Promise<PlayLease>;
  nextRating(rater: Rater): Promise<BlindRatingItem>;
  submitRating(rater: Rater, payload: RatingSubmitPayload): Promise<RatingSubmitted>;
  /** "Can't judge", changing the most recent judgment, flags, and the rater's counters (rating-judgments.ts). */
  skipRating(rater: Rater, payload: RatingSkipPayload): Promise<RatingSubmitted>;
  reviseRating(rater: Rater, payload: RatingRevisePayload): Promise<RatingSubmitted>;
  flagItem(rater: Rater, payload: RatingFlagPayload): Promise<{ itemId: string; kind: RatingFlagPayload['kind'] }>;
  ratingProgress(rater: Rater): Promise<RaterCounts>;
  progress(studyId: string): Promise<AssignmentProgress>;
  /** Whether invitation links of a study admit people now (for the join flow). */
  gate: StudyGate;
  /** The play queue live sessions take their assignments from. */
  playQueue: PlayQueue;
}

export function createStudyWork(options: StudyWorkOptions): StudyWork {
  const deps = {
    storage: options.storage,
    isDeclaredModel: options.isDeclaredModel,
    ...(options.promptPacks ? { promptPacks: options.promptPacks } : {}),
    now: options.now ?? (() => new Date()),
    rng: options.rng ?? Math.random,
  };
  const { storage } = deps;
  return {
    getSettings: (studyId) => getSettings(deps, studyId),
    saveSettings: (studyId, body) => saveSettings(deps, studyId, body),
    transition: (studyId, action) => transition(deps, studyId, action),
    addRatingCandidates: (studyId, episodeIds) => addRatingCandidates(deps, studyId, episodeIds),
    addHeldEpisode: (studyId, episode) => addRatingCandidates(deps, studyId, [episode.summary.id], [episode]),
    addRunAnswers: (studyId, runId, modes) => addRunAnswers(deps, studyId, runId, modes),
    previewRatingCandidates: (studyId, episodeIds) => previewCandidates(deps, studyId, episodeIds),
    previewRunAnswers: async (studyId, runId, modes) =>
      previewCandidates(deps, studyId, await runAnswerIds(deps, studyId, runId, modes)),
    withdrawItems: (studyId, itemIds) => withdrawItems(deps, studyId, itemIds),
    withdrawRunAnswers: (studyId, runId, modes) => withdrawRunAnswers(deps, studyId, runId, modes),
    addGoldItems: (studyId, items) => addGoldItems(deps, studyId, items),
    nextPlay: (actor) => nextPlay(deps, actor),
    nextRating: (rater) => nextRating(deps, rater),
    submitRating: (rater, payload) => submitRating(deps, rater, payload),
    skipRating: (rater, payload) => skipRating(deps, rater, payload),
    reviseRating: (rater, payload) => reviseRating(deps, rater, payload),
    flagItem: (rater, payload) => flagItem(deps, rater, payload),
    ratingProgress: (rater) => ratingProgress(deps, rater),
    async progress(studyId) {
      await requireStudy(storage, studyId);
      const settings = await storage.work.getSettings(studyId);
      const counts = await storage.work.progress(studyId, deps.now());
      return { ...counts, status: settings?.status ?? 'draft', raterOverlap: settings?.raterOverlap ?? 0 };
    },
    async gate(studyId) {
      if (!(await storage.getStudy(studyId))) return 'missing';
      const settings = await storage.work.getSettings(studyId);
      // A study never configured for live work keeps the old behaviour (open while it exists); a draft is not open yet.
      if (!settings || settings.status === 'open') return 'open';
      return settings.status === 'closed' ? 'closed' : 'paused';
    },
    playQueue: studyPlayQueue(deps),
  };
}
