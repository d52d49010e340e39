import { AppError } from '../../../shared/errors.ts';
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
import type pg from 'pg';
import type { PgDatabase, Queryable } from './pg-database.ts';
import { isForeignKeyViolation, isUniqueViolation } from './pg-error-codes.ts';
import { countWithoutTranscript, queuedEpisodes, withdrawCandidates } from './postgres-work-candidates.ts';
import {
  attentionTally,
  countSkips,
  latestJudgment,
  listFlags,
  reviseLatest,
  storeFlag,
} from './postgres-work-judgments.ts';
import {
  claimPlay,
  endPlayLease,
  expireAndHeldPlay,
  extendPlayLease,
  getPlayLease,
  playsTaken,
} from './postgres-work-play.ts';
import { getOutcome, queryProgress, queryRatings, recordOutcome } from './postgres-work-progress.ts';
import {
  addCandidates,
  availableFor,
  claimRating,
  countRatings,
  expireAndHeldRating,
  findRatingLease,
} from './postgres-work-rating.ts';
import { storeRating, storeSkip } from './postgres-work-submit.ts';
import { rowsOf } from './postgres-work-sql.ts';
import { SettingsReader, saveSettings } from './postgres-work-settings.ts';
import { StudyLockQueue } from './study-lock-queue.ts';

/**
 * Study settings and work queues on PostgreSQL, with SqliteStudyWorkStorage's semantics.
 *
 * Claims and judgments read counts and then write (a slot is free, an answer is under k): under READ COMMITTED two
 * transactions could both see the same free slot. Each such transaction therefore first locks the study's
 * live_study_settings row (`SELECT … FOR UPDATE`), which makes it the study's mutex, as SQLite's IMMEDIATE write lock
 * is for the whole file. Chosen over SERIALIZABLE because every claim in a busy study touches the same few rows: under
 * SERIALIZABLE most concurrent claims would fail and run again (wasted work that grows with the number of raters),
 * while the lock makes them wait their turn once; the statements after the lock each see the previous holder's
 * committed writes (READ COMMITTED takes a snapshot per statement). Studies do not wait for each other.
 *
 * The lock is cheap to wait for and short to hold. Waiting: a node queues its own lock-taking transactions of a study
 * in process (StudyLockQueue) before they take a pool connection, so at most one connection per node and study waits
 * on the row; measured before this queue with several nodes on one database (`npm run bench:live-nodes`, 200 persons
 * in one study), nearly all waiting backends waited on this row (mean 3.7 with 2 nodes, 6.2 with 3, up to 26), each
 * holding a pool connection the node's reply writes then waited for. Holding: a play claim is BEGIN, the lock, one
 * statement that expires lapsed leases and finds the one in hand, one INSERT … SELECT that checks the quotas and takes
 * a unit, COMMIT (9 round trips before). docs/scaling.md has the figures.
 */
export class PostgresStudyWorkStorage implements StudyWorkStorage {
  private readonly settings = new SettingsReader();
  /** This node's queue in front of each study's row lock (see the class comment). */
  private readonly studyLocks = new StudyLockQueue();

  constructor(private readonly db: PgDatabase) {}

  async getSettings(studyId: string): Promise<LiveStudySettings | null> {
    return this.readSettings(this.db.pool, studyId, false);
  }

  async saveSettings(studyId: string, settings: LiveStudySettings, now: Date, units?: PlayUnitRef[]): Promise<void> {
    await saveSettings(this.db, studyId, settings, now, units);
  }

  async listProblemIds(studyId: string, only?: readonly string[]): Promise<string[]> {
    const rows = await rowsOf<{ problem_id: string }>(
      this.db.pool,
      only === undefined
        ? 'SELECT problem_id FROM visible_records WHERE study_id = $1 ORDER BY file_id, line'
        : `SELECT problem_id FROM visible_records WHERE study_id = $1 AND problem_id = ANY($2::text[])
          ORDER BY file_id, line`,
      only === undefined ? [studyId] : [studyId, [...only]],
    );
    return rows.map((r) => r.problem_id);
  }

  async leaseNextPlay(studyId: string, participantId: string, now: Date): Promise<Claim<PlayLease>> {
    return this.lockedTransaction(studyId, async (c): Promise<Claim<PlayLease>> => {
      const settings = await this.readSettings(c, studyId, true);
      if (!settings) return { kind: 'none', reason: 'study_not_open' };
      const held = await expireAndHeldPlay(c, studyId, participantId, now.toISOString());
      if (held && pausedOrOpen(settings)) return { kind: 'leased', lease: held, resumed: true };
      if (settings.status !== 'open') return { kind: 'none', reason: 'study_not_open' };
      return claimPlay(c, studyId, participantId, now, settings);
    });
  }

  async getPlayLease(leaseId: string): Promise<PlayLease | null> {
    return getPlayLease(this.db.pool, leaseId);
  }

  async attachPlayEpisode(leaseId: string, episodeId: string): Promise<void> {
    const updated = await this.db.pool.query('UPDATE play_leases SET episode_id = $1 WHERE id = $2', [
      episodeId,
      leaseId,
    ]);
    if (updated.rowCount === 0) throw new AppError('not_found', 'no such assignment');
  }

  async renewPlayLease(leaseId: string, now: Date): Promise<PlayLease | null> {
    // No study lock: a renewal frees and takes no slot. The UPDATE only moves a lease still 'leased'.
    return this.db.transaction(async (c): Promise<PlayLease | null> => {
      const lease = await getPlayLease(c, leaseId);
      const settings = lease ? await this.readSettings(c, lease.studyId, false) : null;
      if (!lease || !settings || lease.status !== 'leased') return lease;
      await extendPlayLease(c, leaseId, expiresAt(now, settings));
      return getPlayLease(c, leaseId);
    });
  }

  async endPlayLease(leaseId: string, status: 'completed' | 'released', now: Date): Promise<PlayLease | null> {
    return this.db.transaction(async (c) => endPlayLease(c, leaseId, status, now));
  }

  async addRatingCandidates(
    studyId: string,
    candidates: NewRatingCandidate[],
    now: Date,
  ): Promise<{ added: number; unchanged: number }> {
    try {
      return await this.db.transaction(async (c) => addCandidates(c, studyId, candidates, now));
    } catch (error) {
      if (isForeignKeyViolation(error))
        throw new AppError(
          'invalid_payload',
          'a candidate names an episode or record that is not stored in this study',
        );
      throw error;
    }
  }

  async queuedEpisodes(studyId: string, episodeIds: readonly string[]): Promise<string[]> {
    return queuedEpisodes(this.db.pool, studyId, episodeIds);
  }

  async countCandidatesWithoutTranscript(studyId: string): Promise<number> {
    return countWithoutTranscript(this.db.pool, studyId);
  }

  async withdrawRatingCandidates(studyId: string, ref: CandidateRef, now: Date): Promise<WithdrawOutcome> {
    return this.lockedTransaction(studyId, async (c) => {
      // Locked only to wait for claims in flight; a study without settings has no claims to wait for.
      await this.readSettings(c, studyId, true);
      return withdrawCandidates(c, studyId, ref, now);
    });
  }

  async leaseNextRating(studyId: string, participantId: string, now: Date, rng: Rng): Promise<Claim<RatingLease>> {
    return this.lockedTransaction(studyId, async (c): Promise<Claim<RatingLease>> => {
      const settings = await this.readSettings(c, studyId, true);
      if (!settings) return { kind: 'none', reason: 'study_not_open' };
      const held = await expireAndHeldRating(c, studyId, participantId, now.toISOString());
      if (held && pausedOrOpen(settings)) return { kind: 'leased', lease: held, resumed: true };
      if (settings.status !== 'open') return { kind: 'none', reason: 'study_not_open' };
      return claimRating(c, studyId, participantId, now, settings, rng);
    });
  }

  async findRatingLease(studyId: string, participantId: string, itemId: string): Promise<RatingLease | null> {
    return findRatingLease(this.db.pool, studyId, participantId, itemId);
  }

  async submitRating(rating: NewRating): Promise<SubmitOutcome> {
    return this.judgment(rating.studyId, async (c, settings) => storeRating(c, rating, settings), {
      kind: 'not_leased',
    });
  }

  async listRatings(studyId: string): Promise<StoredRating[]> {
    return queryRatings(this.db.pool, studyId);
  }

  async countRatings(studyId: string, participantId: string): Promise<number> {
    return countRatings(this.db.pool, studyId, participantId);
  }

  async attentionTally(studyId: string, participantId: string): Promise<{ checked: number; passed: number }> {
    return attentionTally(this.db.pool, studyId, participantId);
  }

  async skipRating(skip: NewSkip): Promise<SubmitOutcome> {
    return this.judgment(skip.studyId, async (c, settings) => storeSkip(c, skip, settings), { kind: 'not_leased' });
  }

  async latestJudgment(studyId: string, participantId: string): Promise<LatestJudgment | null> {
    return latestJudgment(this.db.pool, studyId, participantId);
  }

  async reviseLatest(revision: Revision): Promise<ReviseOutcome> {
    return this.judgment(revision.studyId, async (c, settings) => reviseLatest(c, revision, settings), {
      kind: 'not_latest',
    });
  }

  async flagItem(flag: NewFlag): Promise<boolean> {
    return this.db.transaction(async (c) => storeFlag(c, flag));
  }

  async listFlags(studyId: string): Promise<RatingFlag[]> {
    return listFlags(this.db.pool, studyId);
  }

  async availableFor(studyId: string, participantId: string, now: Date): Promise<number> {
    const settings = await this.readSettings(this.db.pool, studyId, false);
    return settings ? availableFor(this.db.pool, studyId, participantId, now.toISOString(), settings) : 0;
  }

  async countSkips(studyId: string, participantId: string): Promise<number> {
    return countSkips(this.db.pool, studyId, participantId);
  }

  /** A judgment write under the study's lock, with its settings; `missing` when it has none. */
  private async judgment<T>(
    studyId: string,
    write: (c: Queryable, settings: LiveStudySettings) => Promise<T>,
    missing: T,
  ): Promise<T> {
    try {
      return await this.lockedTransaction(studyId, async (c) => {
        const settings = await this.readSettings(c, studyId, true);
        return settings ? write(c, settings) : missing;
      });
    } catch (error) {
      // The study lock orders judgments, so this needs a writer that does not take it; the first one won.
      if (isUniqueViolation(error)) return { kind: 'already_rated' } as T;
      throw error;
    }
  }

  async recordOutcome(outcome: Omit<ParticipantOutcome, 'endedAt'> & { now: Date }): Promise<ParticipantOutcome> {
    const { now, ...next } = outcome;
    try {
      return await this.db.transaction(async (c) => recordOutcome(c, next, now));
    } catch (error) {
      if (isForeignKeyViolation(error)) throw new AppError('not_found', 'no such study');
      throw error;
    }
  }

  async getOutcome(participantId: string): Promise<ParticipantOutcome | null> {
    return getOutcome(this.db.pool, participantId);
  }

  async playsTaken(studyId: string, participantId: string): Promise<number> {
    return playsTaken(this.db.pool, studyId, participantId);
  }

  async progress(studyId: string, now: Date): Promise<Omit<AssignmentProgress, 'status' | 'raterOverlap'>> {
    return {
      ...(await queryProgress(this.db.pool, studyId, now.toISOString())),
      flags: await listFlags(this.db.pool, studyId),
    };
  }

  /**
   * A transaction that takes the study's row lock, queued behind this storage's other ones of the same study first,
   * so that it takes a pool connection only when no other of this node's transactions holds or waits for that lock.
   */
  private async lockedTransaction<T>(studyId: string, work: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.studyLocks.run(studyId, async () => this.db.transaction(work));
  }

  /** The study's settings; `lock` takes its row lock, the study's mutex for claims and judgments (see the class). */
  private async readSettings(c: Queryable, studyId: string, lock: boolean): Promise<LiveStudySettings | null> {
    return this.settings.read(c, studyId, lock);
  }
}
