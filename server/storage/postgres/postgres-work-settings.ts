import { AppError } from '../../../shared/errors.ts';
import { LiveStudySettingsSchema, type LiveStudySettings } from '../../../shared/schemas/live-study.ts';
import type { PlayUnitRef } from '../study-work-storage.ts';
import type { PgDatabase, Queryable } from './pg-database.ts';
import { isForeignKeyViolation } from './pg-error-codes.ts';
import { firstRow } from './postgres-work-sql.ts';

/** A study's live settings on PostgreSQL: reading them (parsed once per stored version) and storing them. */

/** Shared between callers by readSettings' cache: frozen, so a caller that changed it would fail loudly, not others. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Reads settings rows, keeping the last parsed settings of each study with the stored text they came from. */
export class SettingsReader {
  private readonly parsed = new Map<string, { json: string; status: string; settings: LiveStudySettings }>();

  /** The study's settings; `lock` takes its row lock (FOR UPDATE) in the caller's transaction. */
  async read(c: Queryable, studyId: string, lock: boolean): Promise<LiveStudySettings | null> {
    const row = await firstRow<{ status: string; settings_json: string }>(
      c,
      `SELECT status, settings_json FROM live_study_settings WHERE study_id = $1${lock ? ' FOR UPDATE' : ''}`,
      [studyId],
    );
    if (!row) return null;
    // Every reply renews a play lease and reads the settings: the parse (the schema has dozens of fields) is done once
    // per stored version, recognised by its exact text and status, instead of once per message.
    const cached = this.parsed.get(studyId);
    if (cached && cached.json === row.settings_json && cached.status === row.status) return cached.settings;
    // Parsed on the way out too: settings written by an older version get today's defaults for new fields.
    const settings = deepFreeze(
      LiveStudySettingsSchema.parse({ ...(JSON.parse(row.settings_json) as object), status: row.status }),
    );
    this.parsed.set(studyId, { json: row.settings_json, status: row.status, settings });
    return settings;
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
