import type { AgreementReport, Estimate } from '../../../shared/schemas/agreement.ts';
import type { RatedItem } from './agreement-data.ts';
import { pairedMae, pairedSpearman, pooledKappa, SCALE } from './judge-vs-humans.ts';
import { estimates, planFor, type ResampleSettings } from './resampling.ts';
import { meanOf } from './score-units.ts';

interface SelfUnit {
  itemId: string;
  personaId: string;
  self: number;
  judge: number;
  humans: number[];
}

/**
 * The actor's own rating of the answer they steered vs third-party raters vs the judge, on the same (answer,
 * criterion) units: only where all three scored it, so the three comparisons are about the same answers. κ_w pools
 * over criteria; against raters it pools every (unit, rater) pair, MAE and Spearman use the raters' mean.
 */
export function selfRatings(items: readonly RatedItem[], settings: ResampleSettings): AgreementReport['selfRatings'] {
  const units: SelfUnit[] = [];
  const withSelf = items.filter((i) => i.self !== null);
  for (const item of withSelf) {
    item.judge.forEach((judge, ci) => {
      const self = item.self?.scores[ci] ?? null;
      const humans = item.scores.map((row) => row[ci] ?? null).filter((h): h is number => h !== null);
      if (self !== null && judge !== null && humans.length > 0)
        units.push({ itemId: item.itemId, personaId: item.personaId, self, judge, humans });
    });
  }
  const self = units.map((u) => u.self);
  const judge = units.map((u) => u.judge);
  const raters = units.map((u) => meanOf(u.humans));
  const [a, b, c, d, e, f, g, h, i] = estimates(
    planFor(units.map((u) => u.personaId)),
    [
      pairedMae(self, raters),
      pairedSpearman(self, raters),
      pooledKappa(
        units.map((u) => u.humans.map((x) => [u.self, x] as const)),
        SCALE,
      ),
      pairedMae(self, judge),
      pairedSpearman(self, judge),
      pooledKappa(
        units.map((u) => [[u.self, u.judge] as const]),
        SCALE,
      ),
      pairedMae(raters, judge),
      pairedSpearman(raters, judge),
      pooledKappa(
        units.map((u) => u.humans.map((x) => [u.judge, x] as const)),
        SCALE,
      ),
    ],
    settings,
  ) as Estimate[];
  return {
    items: new Set(units.map((u) => u.itemId)).size,
    comparisons: [
      { comparison: 'self_vs_raters', mae: a as Estimate, spearman: b as Estimate, kappaW: c as Estimate },
      { comparison: 'self_vs_judge', mae: d as Estimate, spearman: e as Estimate, kappaW: f as Estimate },
      { comparison: 'raters_vs_judge', mae: g as Estimate, spearman: h as Estimate, kappaW: i as Estimate },
    ],
  };
}
