import type { AgreementReport } from '../../../shared/schemas/agreement.ts';
import { cohenKappa, percentAgreement, type StatResult } from '../../../shared/stats/index.ts';
import type { LiveEpisode, RecordInfo } from './agreement-data.ts';
import { codedPairs, kappaKernel, kappaWeights, ratioKernel, type Kernel } from './kernels.ts';
import { DISCLOSURE_CATEGORIES, disclosureCategory, revealedValue } from './record-info.ts';
import { estimates, planFor, type ResampleSettings } from './resampling.ts';

type Section = AgreementReport['disclosure'];
type Row = Section['rows'][number];

/** One hidden preference at one question of a live episode: what the person's reply and the twin's reply did with it. */
interface TurnUnit {
  personaId: string;
  preference: string;
  type: string;
  /** Index into DISCLOSURE_CATEGORIES. */
  human: number;
  twin: number;
  humanValue: string | null;
  twinValue: string | null;
}

function turnUnits(live: readonly LiveEpisode[], records: ReadonlyMap<string, RecordInfo>): TurnUnit[] {
  const units: TurnUnit[] = [];
  for (const episode of live) {
    const record = records.get(episode.problemId);
    if (!record) continue;
    for (const { human, twin } of episode.turnLabels) {
      if (!human || !twin) continue;
      for (const [preference, { value, type }] of Object.entries(record.preferences)) {
        units.push({
          personaId: episode.personaId,
          preference,
          type,
          human: DISCLOSURE_CATEGORIES.indexOf(disclosureCategory(human, preference, value)),
          twin: DISCLOSURE_CATEGORIES.indexOf(disclosureCategory(twin, preference, value)),
          humanValue: revealedValue(human, preference),
          twinValue: revealedValue(twin, preference),
        });
      }
    }
  }
  return units;
}

function kappaOf(units: readonly TurnUnit[]): [StatResult, Kernel] {
  const names = (pick: (u: TurnUnit) => number): string[] => units.map((u) => DISCLOSURE_CATEGORIES[pick(u)] as string);
  const result = cohenKappa(
    names((u) => u.human),
    names((u) => u.twin),
    { categories: [...DISCLOSURE_CATEGORIES] },
  );
  return [
    result,
    kappaKernel(codedPairs(units.map((u) => [[u.human, u.twin] as const])), kappaWeights([0, 1, 2], 'none'), 3),
  ];
}

function agreementOf(units: readonly TurnUnit[]): [StatResult, Kernel] {
  const same = Float64Array.from(units, (u) => (u.human === u.twin ? 1 : 0));
  return [
    percentAgreement(
      units.map((u) => u.human),
      units.map((u) => u.twin),
    ),
    ratioKernel(same, new Float64Array(units.length).fill(1)),
  ];
}

function row(scope: Row['scope'], value: string, units: readonly TurnUnit[], settings: ResampleSettings): Row {
  const [kappa, agreement] = estimates(
    planFor(units.map((u) => u.personaId)),
    [kappaOf(units), agreementOf(units)],
    settings,
  );
  return { scope, value, kappa: kappa as Row['kappa'], agreement: agreement as Row['agreement'] };
}

function grouped(units: readonly TurnUnit[], key: (u: TurnUnit) => string): [string, TurnUnit[]][] {
  const groups = new Map<string, TurnUnit[]>();
  for (const u of units) {
    const list = groups.get(key(u)) ?? [];
    list.push(u);
    groups.set(key(u), list);
  }
  return [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Turn-level fidelity (docs/agreement-report.md, section c): for every question a person answered and the simulated
 * twin answered too, each hidden preference falls in {not_revealed, revealed_correct, revealed_wrong} for the person
 * and for the twin; Cohen's κ (nominal) of the two, overall, per preference and per preference type, and whether both
 * revealed the same value.
 */
export function disclosureSection(
  live: readonly LiveEpisode[],
  records: ReadonlyMap<string, RecordInfo>,
  settings: ResampleSettings,
): Section {
  const units = turnUnits(live, records);
  const rows: Row[] = [row('overall', 'all', units, settings)];
  for (const [preference, group] of grouped(units, (u) => u.preference))
    rows.push(row('preference', preference, group, settings));
  for (const [type, group] of grouped(units, (u) => u.type)) rows.push(row('preference_type', type, group, settings));
  const both = units.filter((u) => u.humanValue !== null && u.twinValue !== null);
  const sameValue = Float64Array.from(both, (u) => (u.humanValue === u.twinValue ? 1 : 0));
  const valueResult: StatResult =
    both.length === 0
      ? { value: null, n: 0, reason: 'no preference was revealed by both the person and the twin at the same question' }
      : { value: sameValue.reduce((s, v) => s + v, 0) / both.length, n: both.length };
  const [revealedValueAgreement] = estimates(
    planFor(both.map((u) => u.personaId)),
    [[valueResult, ratioKernel(sameValue, new Float64Array(both.length).fill(1))]],
    settings,
  );
  const confusion = DISCLOSURE_CATEGORIES.map((_, h) =>
    DISCLOSURE_CATEGORIES.map((_, t) => units.filter((u) => u.human === h && u.twin === t).length),
  );
  return {
    units: units.length,
    rows,
    revealedValueAgreement: revealedValueAgreement as Section['revealedValueAgreement'],
    categories: [...DISCLOSURE_CATEGORIES],
    confusion,
  };
}
