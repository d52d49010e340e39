import type {
  AssignmentProgress,
  BlindRatingItem,
  GoldItem,
  LiveStudySettings,
  LiveStudySettingsBody,
  RatingSubmitPayload,
  RatingSubmitted,
} from '../../../shared/schemas/live-study.ts';
import type { Mode } from '../../../shared/schemas/evaluation.ts';
import type { Rng } from '../../../shared/stats/random.ts';
import type { Storage } from '../../storage/storage.ts';
import type { PlayLease } from '../../storage/study-work-storage.ts';
import type { StudyGate } from '../auth/join-study.ts';
import type { PlayQueue } from '../live/live-types.ts';
import { nextPlay, studyPlayQueue } from './play-queue.ts';
import { addGoldItems, addRatingCandidates, addRunAnswers } from './rating-candidates.ts';
import { nextRating, submitRating, type Rater } from './rating-queue.ts';
import { getSettings, requireStudy, saveSettings, transition, type StudyTransition } from './study-settings.ts';

export interface StudyWorkOptions {
  storage: Storage;
  isDeclaredModel: (name: string) => boolean;
  now?: () => Date;
  rng?: Rng;
}

/** Live studies, their queues and ratings: the use cases transport calls (HTTP researcher routes, rating sockets). */
export interface StudyWork {
  getSettings(studyId: string): Promise<LiveStudySettings | null>;
  saveSettings(studyId: string, body: LiveStudySettingsBody): Promise<LiveStudySettings>;
  transition(studyId: string, action: StudyTransition): Promise<LiveStudySettings>;
  addRatingCandidates(studyId: string, episodeIds: string[]): Promise<{ added: number; unchanged: number }>;
  addRunAnswers(studyId: string, runId: string, modes: readonly Mode[]): Promise<{ added: number; unchanged: number }>;
  addGoldItems(studyId: string, items: GoldItem[]): Promise<{ added: number }>;
  nextPlay(actor: { studyId: string; participantId: string }): Promise<PlayLease>;
  nextRating(rater: Rater): Promise<BlindRatingItem>;
  submitRating(rater: Rater, payload: RatingSubmitPayload): Promise<RatingSubmitted>;
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
    now: options.now ?? (() => new Date()),
    rng: options.rng ?? Math.random,
  };
  const { storage } = deps;
  return {
    getSettings: (studyId) => getSettings(deps, studyId),
    saveSettings: (studyId, body) => saveSettings(deps, studyId, body),
    transition: (studyId, action) => transition(deps, studyId, action),
    addRatingCandidates: (studyId, episodeIds) => addRatingCandidates(deps, studyId, episodeIds),
    addRunAnswers: (studyId, runId, modes) => addRunAnswers(deps, studyId, runId, modes),
    addGoldItems: (studyId, items) => addGoldItems(deps, studyId, items),
    nextPlay: (actor) => nextPlay(deps, actor),
    nextRating: (rater) => nextRating(deps, rater),
    submitRating: (rater, payload) => submitRating(deps, rater, payload),
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
