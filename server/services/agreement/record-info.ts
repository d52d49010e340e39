import type { BenchmarkRecord } from '../../../shared/schemas/benchmark.ts';
import { criterionWeight } from '../../engine/rubric-judge.ts';
import type { DisclosureLabel, RecordInfo } from './agreement-data.ts';

/** The persona's age in the bands the persona library generates (18–75), or `unknown`. */
export function ageBand(age: number | undefined): string {
  if (age === undefined || !Number.isFinite(age) || age < 18) return 'unknown';
  if (age <= 25) return '18–25';
  // Bands of ten from 26: 26–35, 36–45, …; the library's oldest personas are 75, so the last band, 66–75, also takes anyone older.
  const start = Math.min(66, 26 + Math.floor((age - 26) / 10) * 10);
  return `${start}–${start + 9}`;
}

/** Trait → score (1–5) from a persona's `personality_big5`, skipping traits without a numeric score. */
export function big5Scores(big5: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (big5 === null || typeof big5 !== 'object') return out;
  for (const [trait, entry] of Object.entries(big5)) {
    const score = entry !== null && typeof entry === 'object' ? (entry as { score?: unknown }).score : undefined;
    if (typeof score === 'number' && Number.isFinite(score)) out[trait] = score;
  }
  return out;
}

export function recordInfo(problemId: string, record: BenchmarkRecord): RecordInfo {
  const criteria = record.evaluation_rubric.evaluation_criteria;
  return {
    problemId,
    personaId: record.persona.id,
    ageBand: ageBand(record.persona.demographics?.age),
    traits: big5Scores(record.persona.personality_big5),
    criteria: criteria.map((c) => ({
      preference: c.preference,
      weight: criterionWeight(c, criteria.length),
      type: record.persona_preferences[c.preference]?.type ?? 'unknown',
    })),
    preferences: Object.fromEntries(
      Object.entries(record.persona_preferences).map(([name, p]) => [name, { value: p.value, type: p.type }]),
    ),
  };
}

/**
 * A preference value in a comparable form: case and surrounding/inner whitespace do not matter, and numbers compare
 * by value ("4", "4.0" and 4 are the same), because the labeler copies values out of free text.
 */
export function normalizeValue(value: string | number): string {
  const text = String(value).trim().replace(/\s+/g, ' ').toLowerCase();
  if (text !== '' && Number.isFinite(Number(text))) return String(Number(text));
  return text;
}

export const DISCLOSURE_CATEGORIES = ['not_revealed', 'revealed_correct', 'revealed_wrong'] as const;
export type DisclosureCategory = (typeof DISCLOSURE_CATEGORIES)[number];

/** What a reply did with one hidden preference: left it out, revealed the persona's true value, or another value. */
export function disclosureCategory(
  label: DisclosureLabel,
  preference: string,
  trueValue: string | number | undefined,
): DisclosureCategory {
  const revealed = label.revealed.find((r) => r.preference === preference);
  if (!revealed) return 'not_revealed';
  return trueValue !== undefined && normalizeValue(revealed.value) === normalizeValue(trueValue)
    ? 'revealed_correct'
    : 'revealed_wrong';
}

/** The revealed value of a preference, normalized, or null. */
export function revealedValue(label: DisclosureLabel, preference: string): string | null {
  const revealed = label.revealed.find((r) => r.preference === preference);
  return revealed ? normalizeValue(revealed.value) : null;
}

/** Words in a reply: runs of non-space characters. */
export function wordCount(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? 0 : trimmed.split(/\s+/).length;
}

/** Preferences a reply revealed though the question did not ask about them. */
export function unpromptedCount(label: DisclosureLabel): number {
  const asked = new Set(label.asked);
  return label.revealed.filter((r) => !asked.has(r.preference)).length;
}
