import type Database from 'better-sqlite3';
import {
  LiveStudySettingsSchema,
  type AssignmentProgress,
  type LiveStudySettings,
  type RatingFlag,
} from '../../../shared/schemas/live-study.ts';
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
import { AppError } from '../../../shared/errors.ts';

/** Pausing stops new work, not work in hand: a paused study still returns the lease a person holds. */
function pausedOrOpen(settings: LiveStudySettings): boolean {
  return settings.status === 'open' || settings.status === 'paused';
}

function isConstraint(error: unknown, kind: string): boolean {
  return (error as { code?: string }).code === `SQLITE_CONSTRAINT_${kind}`;
}

/** Shared between callers by readSettings' cache: frozen, so a caller that changed it would fail loudly, not others. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * Study settings and work queues on SQLite. Claims and submits run as IMMEDIATE transactions: the write lock is taken
 * before anything is read, so two connections (or processes) on one file cannot both count a slot as free.
 */
export class SqliteStudyWorkStorage implements StudyWorkStorage {
  /** The last parsed settings of each study, with the stored text they came from (see readSettings). */
  private readonly parsedSettings = new Map<string, { json: string; status: string; settings: LiveStudySettings }>();

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
    const row = cachedStatement(
      this.db,
      'SELECT status, settings_json FROM live_study_settings WHERE study_id = ?',
    ).get(studyId) as { status: string; settings_json: string } | undefined;
    if (!row) return null;
    // Every reply renews a play lease and reads the settings: the parse (the schema has dozens of fields) is done once
    // per stored version, recognised by its exact text and status, instead of once per message.
    const cached = this.parsedSettings.get(studyId);
    if (cached && cached.json === row.settings_json && cached.status === row.status) return cached.settings;
    // Parsed on the way out too: settings written by an older version get today's defaults for new fields.
    const settings = deepFreeze(
      LiveStudySettingsSchema.parse({ ...(JSON.parse(row.settings_json) as object), status: row.status }),
    );
    this.parsedSettings.set(studyId, { json: row.settings_json, status: row.status, settings });
    return settings;
  }
}
