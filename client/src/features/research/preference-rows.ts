import type { BenchmarkRecord } from '../../../../shared/schemas/benchmark.ts';
import type { Preference } from '../../../../shared/schemas/preference.ts';
import type { Criterion } from '../../../../shared/schemas/rubric.ts';

/**
 * One row of the hidden-preference table: a preference joined with its rubric criterion by dimension name.
 * Either side may be missing in a malformed record (the importer reports it; the table still shows it).
 */
export interface PreferenceRow {
  key: string;
  preference: Preference | null;
  criterion: Criterion | null;
  /** The weight the judge applies: the rubric's own, or 1/N when the rubric gives none, as the reference judge does. */
  weight: number;
  weightImplied: boolean;
}

export function preferenceRows(record: BenchmarkRecord): PreferenceRow[] {
  const criteria = record.evaluation_rubric.evaluation_criteria;
  const byName = new Map<string, Criterion>();
  for (const c of criteria) if (!byName.has(c.preference)) byName.set(c.preference, c);
  const implied = criteria.length > 0 ? 1 / criteria.length : 0;

  const rows: PreferenceRow[] = Object.entries(record.persona_preferences).map(([key, preference]) => {
    const criterion = byName.get(key) ?? null;
    return {
      key,
      preference,
      criterion,
      weight: criterion?.weight ?? (criterion ? implied : 0),
      weightImplied: criterion !== null && criterion.weight === undefined,
    };
  });
  for (const [key, criterion] of byName) {
    if (!(key in record.persona_preferences)) {
      rows.push({
        key,
        preference: null,
        criterion,
        weight: criterion.weight ?? implied,
        weightImplied: criterion.weight === undefined,
      });
    }
  }
  // Most important first: that is the order a researcher reads them in when checking a response.
  return rows.sort(
    (a, b) => (b.preference?.local_importance ?? 0) - (a.preference?.local_importance ?? 0) || b.weight - a.weight,
  );
}

/** The criterion's level descriptions, lowest score first. */
export function sortedLevels(criterion: Criterion): { score: number; description: string }[] {
  return [...criterion.levels].sort((a, b) => a.score - b.score);
}
