import type Database from 'better-sqlite3';
import type { LiveStudySettings } from '../../../shared/schemas/live-study.ts';
import type { AssignmentProgress, RatingFlag } from '../../../shared/schemas/assignment-progress.ts';
import type { Rng } from '../../../shared/stats/random.ts';
import type {
  CandidateRef,
  Claim,
  LatestJudgment,
  NewFlag,
  NewRating,
  NewRatingCandidate,
  NewSkip,
  ParticipantOutcome,
  PlayLease,
  PlayUnitRef,
  RatingLease,
  ReviseOutcome,
  Revision,
  StoredRating,
  StudyWorkStorage,
  SubmitOutcome,
  WithdrawOutcome,
} from '../study-work-storage.ts';
import { expiresAt } from '../rows/play-lease-rows.ts';
import { pausedOrOpen } from '../rows/study-settings-rows.ts';
import { claimPlay, endPlayLease, expirePlayLeases, getPlayLease, heldPlay, playsTaken } from './play-queue-queries.ts';
import {
  addCandidates,
  availableFor,
  claimRating,
  countRatings,
  expireRatingLeases,
  findRatingLease,
  heldRating,
  registerRaterOrder,
  storeRating,
} from './rating-queue-queries.ts';
import { countWithoutTranscript, queuedEpisodes, withdrawCandidates } from './rating-candidate-queries.ts';
import { queryProgress, queryRatings } from './work-progress-queries.ts';
import {
  countSkips,
  goldSkips,
  latestJudgment,
  listFlags,
  reviseLatest,
  storeFlag,
  storeSkip,
} from './rating-judgment-queries.ts';
import { getOutcome, recordOutcome } from './participant-outcome-queries.ts';
import { cachedStatement } from './statement-cache.ts';
import { isConstraint } from './sqlite-error-codes.ts';
import { SettingsReader, saveSettings } from './study-settings-queries.ts';
import { AppError } from '../../../shared/errors.ts';

/**
 * Study settings and work queues on SQLite. Claims and submits run as IMMEDIATE transactions: the write lock is taken
 * before anything is read, so two connections (or processes) on one file cannot both count a slot as free.
 */
export class SqliteStudyWorkStorage implements StudyWorkStorage {
  private readonly settings = new SettingsReader();

  constructor(private readonly db: Database.Database) {
    registerRaterOrder(db);
  }

  async getSettings(studyId: string): Promise<LiveStudySettings | null> {
    return this.readSettings(studyId);
  }

  async saveSettings(studyId: string, settings: LiveStudySettings, now: Date, units?: PlayUnitRef[]): Promise<void> {
    saveSettings(this.db, studyId, settings, now, units);
  }

  async listProblemIds(studyId: string, only?: readonly string[]): Promise<string[]> {
    if (only !== undefined)
      return cachedStatement(
        this.db,
        `SELECT problem_id FROM visible_records WHERE study_id = ? AND problem_id IN (SELECT value FROM json_each(?))
        ORDER BY file_id, line`,
      )
        .pluck()
        .all(studyId, JSON.stringify(only)) as string[];
    return cachedStatement(this.db, 'SELECT problem_id FROM visible_records WHERE study_id = ? ORDER BY file_id, line')
      .pluck()
      .all(studyId) as string[];
  }

  async leaseNextPlay(studyId: string, participantId: string, now: Date): Promise<Claim<PlayLease>> {
    return this.db
      .transaction((): Claim<PlayLease> => {
        const settings = this.readSettings(studyId);
        if (!settings) return { kind: 'none', reason: 'study_not_open' };
        expirePlayLeases(this.db, studyId, now.toISOString());
        const held = pausedOrOpen(settings) ? heldPlay(this.db, studyId, participantId) : null;
        if (held) return { kind: 'leased', lease: held, resumed: true };
        if (settings.status !== 'open') return { kind: 'none', reason: 'study_not_open' };
        return claimPlay(this.db, studyId, participantId, now, settings);
      })
      .immediate();
  }

  async getPlayLease(leaseId: string): Promise<PlayLease | null> {
    return getPlayLease(this.db, leaseId);
  }

  async attachPlayEpisode(leaseId: string, episodeId: string): Promise<void> {
    const changed = cachedStatement(this.db, 'UPDATE play_leases SET episode_id = ? WHERE id = ?').run(
      episodeId,
      leaseId,
    ).changes;
    if (changed === 0) throw new AppError('not_found', 'no such assignment');
  }

  async renewPlayLease(leaseId: string, now: Date): Promise<PlayLease | null> {
    return this.db
      .transaction((): PlayLease | null => {
        const lease = getPlayLease(this.db, leaseId);
        const settings = lease ? this.readSettings(lease.studyId) : null;
        if (!lease || !settings || lease.status !== 'leased') return lease;
        cachedStatement(this.db, 'UPDATE play_leases SET expires_at = ? WHERE id = ?').run(
          expiresAt(now, settings),
          leaseId,
        );
        return getPlayLease(this.db, leaseId);
      })
      .immediate();
  }

  async endPlayLease(leaseId: string, status: 'completed' | 'released', now: Date): Promise<PlayLease | null> {
    return this.db.transaction(() => endPlayLease(this.db, leaseId, status, now)).immediate();
  }

  async addRatingCandidates(
    studyId: string,
    candidates: NewRatingCandidate[],
    now: Date,
  ): Promise<{ added: number; unchanged: number }> {
    try {
      return this.db.transaction(() => addCandidates(this.db, studyId, candidates, now)).immediate();
    } catch (error) {
      if (isConstraint(error, 'FOREIGNKEY'))
        throw new AppError(
          'invalid_payload',
          'a candidate names an episode or record that is not stored in this study',
        );
      throw error;
    }
  }

  async queuedEpisodes(studyId: string, episodeIds: readonly string[]): Promise<string[]> {
    return queuedEpisodes(this.db, studyId, episodeIds);
  }

  async countCandidatesWithoutTranscript(studyId: string): Promise<number> {
    return countWithoutTranscript(this.db, studyId);
  }

  async withdrawRatingCandidates(studyId: string, ref: CandidateRef, now: Date): Promise<WithdrawOutcome> {
    return this.db.transaction(() => withdrawCandidates(this.db, studyId, ref, now)).immediate();
  }

  async leaseNextRating(studyId: string, participantId: string, now: Date, rng: Rng): Promise<Claim<RatingLease>> {
    return this.db
      .transaction((): Claim<RatingLease> => {
        const settings = this.readSettings(studyId);
        if (!settings) return { kind: 'none', reason: 'study_not_open' };
        expireRatingLeases(this.db, studyId, now.toISOString());
        const held = pausedOrOpen(settings) ? heldRating(this.db, studyId, participantId) : null;
        if (held) return { kind: 'leased', lease: held, resumed: true };
        if (settings.status !== 'open') return { kind: 'none', reason: 'study_not_open' };
        return claimRating(this.db, studyId, participantId, now, settings, rng);
      })
      .immediate();
  }

  async findRatingLease(studyId: string, participantId: string, itemId: string): Promise<RatingLease | null> {
    return findRatingLease(this.db, studyId, participantId, itemId);
  }

  async submitRating(rating: NewRating): Promise<SubmitOutcome> {
    try {
      return this.db
        .transaction((): SubmitOutcome => {
          const settings = this.readSettings(rating.studyId);
          if (!settings) return { kind: 'not_leased' };
          return storeRating(this.db, rating, settings);
        })
        .immediate();
    } catch (error) {
      // Only reachable if two submits interleave across processes; the first one won.
      if (isConstraint(error, 'UNIQUE')) return { kind: 'already_rated' };
      throw error;
    }
  }

  async listRatings(studyId: string): Promise<StoredRating[]> {
    return queryRatings(this.db, studyId);
  }

  async countRatings(studyId: string, participantId: string): Promise<number> {
    return countRatings(this.db, studyId, participantId);
  }

  async attentionTally(studyId: string, participantId: string): Promise<{ checked: number; passed: number }> {
    const row = this.db
      .prepare(
        `SELECT COUNT(attention_passed) AS checked, COALESCE(SUM(attention_passed), 0) AS passed
      FROM ratings WHERE study_id = ? AND participant_id = ?`,
      )
      .get(studyId, participantId) as { checked: number; passed: number };
    const skipped = goldSkips(this.db, studyId, participantId);
    return { checked: row.checked + skipped, passed: row.passed };
  }

  async skipRating(skip: NewSkip): Promise<SubmitOutcome> {
    return this.judgment(skip.studyId, (settings) => storeSkip(this.db, skip, settings), { kind: 'not_leased' });
  }

  async latestJudgment(studyId: string, participantId: string): Promise<LatestJudgment | null> {
    return latestJudgment(this.db, studyId, participantId);
  }

  async reviseLatest(revision: Revision): Promise<ReviseOutcome> {
    return this.judgment(revision.studyId, (settings) => reviseLatest(this.db, revision, settings), {
      kind: 'not_latest',
    });
  }

  async flagItem(flag: NewFlag): Promise<boolean> {
    return this.db.transaction(() => storeFlag(this.db, flag)).immediate();
  }

  async listFlags(studyId: string): Promise<RatingFlag[]> {
    return listFlags(this.db, studyId);
  }

  async availableFor(studyId: string, participantId: string, now: Date): Promise<number> {
    const settings = this.readSettings(studyId);
    return settings ? availableFor(this.db, studyId, participantId, now.toISOString(), settings) : 0;
  }

  async countSkips(studyId: string, participantId: string): Promise<number> {
    return countSkips(this.db, studyId, participantId);
  }

  /** A judgment write in an immediate transaction, with the study's settings; `missing` when it has none. */
  private judgment<T>(studyId: string, write: (settings: LiveStudySettings) => T, missing: T): T {
    try {
      return this.db
        .transaction((): T => {
          const settings = this.readSettings(studyId);
          return settings ? write(settings) : missing;
        })
        .immediate();
    } catch (error) {
      // Only reachable if two judgments of one item interleave across processes; the first one won.
      if (isConstraint(error, 'UNIQUE')) return { kind: 'already_rated' } as T;
      throw error;
    }
  }

  async recordOutcome(outcome: Omit<ParticipantOutcome, 'endedAt'> & { now: Date }): Promise<ParticipantOutcome> {
    const { now, ...next } = outcome;
    try {
      return this.db.transaction(() => recordOutcome(this.db, next, now)).immediate();
    } catch (error) {
      if (isConstraint(error, 'FOREIGNKEY')) throw new AppError('not_found', 'no such study');
      throw error;
    }
  }

  async getOutcome(participantId: string): Promise<ParticipantOutcome | null> {
    return getOutcome(this.db, participantId);
  }

  async playsTaken(studyId: string, participantId: string): Promise<number> {
    return playsTaken(this.db, studyId, participantId);
  }

  async progress(studyId: string, now: Date): Promise<Omit<AssignmentProgress, 'status' | 'raterOverlap'>> {
    return { ...queryProgress(this.db, studyId, now.toISOString()), flags: listFlags(this.db, studyId) };
  }

  private readSettings(studyId: string): LiveStudySettings | null {
    return this.settings.read(this.db, studyId);
  }
}
