import type Database from 'better-sqlite3';
import {
  LiveStudySettingsSchema,
  type AssignmentProgress,
  type LiveStudySettings,
} from '../../../shared/schemas/live-study.ts';
import type { Rng } from '../../../shared/stats/random.ts';
import type {
  Claim,
  NewRating,
  NewRatingCandidate,
  PlayLease,
  PlayUnitRef,
  RatingLease,
  StoredRating,
  StudyWorkStorage,
  SubmitOutcome,
} from '../study-work-storage.ts';
import { claimPlay, endPlayLease, expirePlayLeases, expiresAt, getPlayLease, heldPlay } from './play-queue-queries.ts';
import {
  addCandidates,
  claimRating,
  countRatings,
  expireRatingLeases,
  findRatingLease,
  heldRating,
  registerRaterOrder,
  storeRating,
} from './rating-queue-queries.ts';
import { queryProgress, queryRatings } from './work-progress-queries.ts';
import { cachedStatement } from './statement-cache.ts';
import { AppError } from '../../../shared/errors.ts';

/** Pausing stops new work, not work in hand: a paused study still returns the lease a person holds. */
function pausedOrOpen(settings: LiveStudySettings): boolean {
  return settings.status === 'open' || settings.status === 'paused';
}

function isConstraint(error: unknown, kind: string): boolean {
  return (error as { code?: string }).code === `SQLITE_CONSTRAINT_${kind}`;
}

/**
 * Study settings and work queues on SQLite. Claims and submits run as IMMEDIATE transactions: the write lock is taken
 * before anything is read, so two connections (or processes) on one file cannot both count a slot as free.
 */
export class SqliteStudyWorkStorage implements StudyWorkStorage {
  constructor(private readonly db: Database.Database) {
    registerRaterOrder(db);
  }

  async getSettings(studyId: string): Promise<LiveStudySettings | null> {
    return this.readSettings(studyId);
  }

  async saveSettings(studyId: string, settings: LiveStudySettings, now: Date, units?: PlayUnitRef[]): Promise<void> {
    const { status, ...rest } = settings;
    const upsertUnit = this.db.prepare(`INSERT INTO play_units (study_id, problem_id, model, quota, position, active)
      VALUES (?, ?, ?, ?, ?, 1)
      ON CONFLICT (study_id, problem_id, model) DO UPDATE SET quota = excluded.quota, position = excluded.position, active = 1`);
    try {
      this.db
        .transaction(() => {
          if (this.db.prepare('SELECT 1 FROM studies WHERE id = ?').get(studyId) === undefined) {
            throw new AppError('not_found', 'no such study');
          }
          this.db
            .prepare(
              `INSERT INTO live_study_settings (study_id, status, settings_json, updated_at) VALUES (?, ?, ?, ?)
          ON CONFLICT (study_id) DO UPDATE SET status = excluded.status, settings_json = excluded.settings_json, updated_at = excluded.updated_at`,
            )
            .run(studyId, status, JSON.stringify(rest), now.toISOString());
          if (!units) return;
          this.db.prepare('UPDATE play_units SET active = 0 WHERE study_id = ?').run(studyId);
          units.forEach((u, position) =>
            upsertUnit.run(studyId, u.problemId, u.model, settings.playsPerRecord, position),
          );
        })
        .immediate();
    } catch (error) {
      if (isConstraint(error, 'FOREIGNKEY'))
        throw new AppError('invalid_payload', 'a play unit names a record that is not in this study');
      throw error;
    }
  }

  async listProblemIds(studyId: string): Promise<string[]> {
    return cachedStatement(this.db, 'SELECT problem_id FROM records WHERE study_id = ? ORDER BY file_id, line')
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
    return { checked: row.checked, passed: row.passed };
  }

  async progress(studyId: string, now: Date): Promise<Omit<AssignmentProgress, 'status' | 'raterOverlap'>> {
    return queryProgress(this.db, studyId, now.toISOString());
  }

  private readSettings(studyId: string): LiveStudySettings | null {
    const row = cachedStatement(
      this.db,
      'SELECT status, settings_json FROM live_study_settings WHERE study_id = ?',
    ).get(studyId) as { status: string; settings_json: string } | undefined;
    if (!row) return null;
    // Parsed on the way out too: settings written by an older version get today's defaults for new fields.
    return LiveStudySettingsSchema.parse({ ...(JSON.parse(row.settings_json) as object), status: row.status });
  }
}
