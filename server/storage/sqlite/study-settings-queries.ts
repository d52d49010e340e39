import type Database from 'better-sqlite3';
import { AppError } from '../../../shared/errors.ts';
import type { LiveStudySettings } from '../../../shared/schemas/live-study.ts';
import { ParsedSettings, type SettingsRow } from '../rows/study-settings-rows.ts';
import type { PlayUnitRef } from '../study-work-storage.ts';
import { isConstraint } from './sqlite-error-codes.ts';
import { cachedStatement } from './statement-cache.ts';

/** A study's live settings on SQLite: reading them (parsed once per stored version) and storing them. */

/** Reads settings rows, keeping the last parsed settings of each study with the stored text they came from. */
export class SettingsReader {
  private readonly parsed = new ParsedSettings();

  read(db: Database.Database, studyId: string): LiveStudySettings | null {
    const row = cachedStatement(db, 'SELECT status, settings_json FROM live_study_settings WHERE study_id = ?').get(
      studyId,
    ) as SettingsRow | undefined;
    return row ? this.parsed.of(studyId, row) : null;
  }
}

/**
 * Stores a study's settings and, with `units`, makes them its active play units (StudyWorkStorage.saveSettings), in
 * one immediate transaction.
 */
export function saveSettings(
  db: Database.Database,
  studyId: string,
  settings: LiveStudySettings,
  now: Date,
  units?: PlayUnitRef[],
): void {
  const { status, ...rest } = settings;
  const upsertUnit = db.prepare(`INSERT INTO play_units (study_id, problem_id, model, quota, position, active)
      VALUES (?, ?, ?, ?, ?, 1)
      ON CONFLICT (study_id, problem_id, model) DO UPDATE SET quota = excluded.quota, position = excluded.position, active = 1`);
  try {
    db.transaction(() => {
      if (db.prepare('SELECT 1 FROM studies WHERE id = ?').get(studyId) === undefined) {
        throw new AppError('not_found', 'no such study');
      }
      db.prepare(
        `INSERT INTO live_study_settings (study_id, status, settings_json, updated_at) VALUES (?, ?, ?, ?)
          ON CONFLICT (study_id) DO UPDATE SET status = excluded.status, settings_json = excluded.settings_json, updated_at = excluded.updated_at`,
      ).run(studyId, status, JSON.stringify(rest), now.toISOString());
      if (!units) return;
      db.prepare('UPDATE play_units SET active = 0 WHERE study_id = ?').run(studyId);
      units.forEach((u, position) => upsertUnit.run(studyId, u.problemId, u.model, settings.playsPerRecord, position));
    }).immediate();
  } catch (error) {
    if (isConstraint(error, 'FOREIGNKEY'))
      throw new AppError('invalid_payload', 'a play unit names a record that is not in this study');
    throw error;
  }
}
