import { deepFreeze } from '../../../shared/deep-freeze.ts';
import { LiveStudySettingsSchema, type LiveStudySettings } from '../../../shared/schemas/live-study.ts';

// A study's `live_study_settings` row and its parse, for both engines (sqlite/study-settings-queries.ts,
// postgres/postgres-work-settings.ts): the status in its own column, the other settings as JSON text.

export interface SettingsRow {
  status: string;
  settings_json: string;
}

/** Pausing stops new work, not work in hand: a paused study still returns the lease a person holds. */
export function pausedOrOpen(settings: LiveStudySettings): boolean {
  return settings.status === 'open' || settings.status === 'paused';
}

/** The last parsed settings of each study, with the stored text they came from. */
export class ParsedSettings {
  private readonly parsed = new Map<string, { json: string; status: string; settings: LiveStudySettings }>();

  of(studyId: string, row: SettingsRow): LiveStudySettings {
    // Every reply renews a play lease and reads the settings: the parse (the schema has dozens of fields) is done once
    // per stored version, recognised by its exact text and status, instead of once per message.
    const cached = this.parsed.get(studyId);
    if (cached && cached.json === row.settings_json && cached.status === row.status) return cached.settings;
    // Parsed on the way out too: settings written by an older version get today's defaults for new fields. Frozen,
    // since callers share it: one that changed it would fail loudly rather than change it for the others.
    const settings = deepFreeze(
      LiveStudySettingsSchema.parse({ ...(JSON.parse(row.settings_json) as object), status: row.status }),
    );
    this.parsed.set(studyId, { json: row.settings_json, status: row.status, settings });
    return settings;
  }
}
