import type { Preference } from '../../shared/schemas/preference.ts';

/** One preference a persona expressed on an earlier problem (the reference's accumulated preferences). */
export interface EarlierPreference {
  dimension: string;
  value: number | string;
  local_importance: number;
  problem_context: string;
}

/** The most recent earlier preferences shown to the model; older ones add length more than consistency. */
export const MAX_EARLIER_SHOWN = 40;

/** Per persona, every preference of its earlier records, in pair order. */
export class PreferenceHistory {
  readonly #byPersona = new Map<string, EarlierPreference[]>();

  add(personaId: string, preferences: Record<string, Preference>): void {
    const list = this.#byPersona.get(personaId) ?? [];
    for (const [dimension, p] of Object.entries(preferences)) {
      list.push({
        dimension,
        value: p.value,
        local_importance: p.local_importance,
        problem_context: p.problem_context ?? 'problem',
      });
    }
    this.#byPersona.set(personaId, list);
  }

  of(personaId: string): EarlierPreference[] {
    return (this.#byPersona.get(personaId) ?? []).slice(-MAX_EARLIER_SHOWN);
  }
}

export function earlierText(earlier: EarlierPreference[]): string {
  if (earlier.length === 0) return '(none yet: this is the first problem for this person)';
  return earlier
    .map((e) => `- ${e.dimension}: ${String(e.value)} (importance ${e.local_importance}, on a ${e.problem_context})`)
    .join('\n');
}
