import { AppError } from '../../../shared/errors.ts';
import type { LiveStudySettings } from '../../../shared/schemas/live-study.ts';
import { ParsedSettings, type SettingsRow } from '../rows/study-settings-rows.ts';
import type { PlayUnitRef } from '../study-work-storage.ts';
import type { PgDatabase, Queryable } from './pg-database.ts';
import { isForeignKeyViolation } from './pg-error-codes.ts';
import { firstRow } from './postgres-work-sql.ts';

/** A study's live settings on PostgreSQL: reading them (parsed once per stored version) and storing them. */

/** Reads settings rows, keeping the last parsed settings of each study with the stored text they came from. */
export class SettingsReader {
  private readonly parsed = new ParsedSettings();

  /** The study's settings; `lock` takes its row lock (FOR UPDATE) in the caller's transaction. */
  async read(c: Queryable, studyId: string, lock: boolean): Promise<LiveStudySettings | null> {
    const row = await firstRow<SettingsRow>(
      c,
      `SELECT status, settings_json FROM live_study_settings WHERE study_id = $1${lock ? ' FOR UPDATE' : ''}`,
      [studyId],
    );
    return row ? this.parsed.of(studyId, row) : null;
  }
}

/**
 * Stores a study's settings and, with `units`, makes them its active play units (StudyWorkStorage.saveSettings).
 */
export async function saveSettings(
  db: PgDatabase,
  studyId: string,
  settings: LiveStudySettings,
  now: Date,
  units?: PlayUnitRef[],
): Promise<void> {
  const { status, ...rest } = settings;
  try {
    await db.transaction(async (c) => {
      if ((await firstRow(c, 'SELECT 1 FROM studies WHERE id = $1', [studyId])) === undefined) {
        throw new AppError('not_found', 'no such study');
      }
      // The upsert locks the settings row, so a claim in progress finishes before the units change under it.
      await c.query(
        `INSERT INTO live_study_settings (study_id, status, settings_json, updated_at) VALUES ($1, $2, $3, $4)
        ON CONFLICT (study_id) DO UPDATE SET status = excluded.status, settings_json = excluded.settings_json,
          updated_at = excluded.updated_at`,
        [studyId, status, JSON.stringify(rest), now.toISOString()],
      );
      if (!units) return;
      await c.query('UPDATE play_units SET active = 0 WHERE study_id = $1', [studyId]);
      for (const [position, u] of units.entries()) {
        await c.query(
          `INSERT INTO play_units (study_id, problem_id, model, quota, position, active) VALUES ($1, $2, $3, $4, $5, 1)
          ON CONFLICT (study_id, problem_id, model)
          DO UPDATE SET quota = excluded.quota, position = excluded.position, active = 1`,
          [studyId, u.problemId, u.model, settings.playsPerRecord, position],
        );
      }
    });
  } catch (error) {
    if (isForeignKeyViolation(error))
      throw new AppError('invalid_payload', 'a play unit names a record that is not in this study');
    throw error;
  }
}
