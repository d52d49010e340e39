import type { Preference } from '../../shared/schemas/preference.ts';
import type { Rng } from '../../shared/stats/random.ts';
import { sampleWithoutReplacement } from './seeded.ts';

/**
 * The sparsity control: how many preferences each record keeps. The reference keeps all ~20 (its sparsity is across
 * users: each persona gets its own dimension set) and has a disabled `subsample(…, 5)` that keeps 5 at random; we
 * offer both that random subset and "the most important ones". Kept preferences stay in their original order.
 */
export function keepPreferences(
  preferences: Record<string, Preference>,
  keep: number | null,
  strategy: 'random' | 'importance',
  rng: Rng,
): Record<string, Preference> {
  const entries = Object.entries(preferences);
  if (keep === null || entries.length <= keep) return preferences;
  const indexed = entries.map((entry, index) => ({ entry, index }));
  const chosen =
    strategy === 'random'
      ? sampleWithoutReplacement(indexed, keep, rng)
      : [...indexed]
          .sort((a, b) => b.entry[1].local_importance - a.entry[1].local_importance || a.index - b.index)
          .slice(0, keep);
  return Object.fromEntries(chosen.sort((a, b) => a.index - b.index).map((c) => c.entry));
}
