import { createHash } from 'node:crypto';
import type { AgreementReport, AgreementSettings } from '../../../shared/schemas/agreement.ts';
import type { Storage } from '../../storage/storage.ts';
import type { AgreementData } from './agreement-data.ts';
import { disclosureSection } from './disclosure.ts';
import { gatherAgreementData } from './gather.ts';
import { correctnessKappa, judgeHumanRow } from './judge-vs-humans.ts';
import { behaviour, outcomePairs, outcomes } from './outcomes.ts';
import { plots } from './plots.ts';
import { LEVEL } from './resampling.ts';
import { scoreUnits, WEIGHTED } from './score-units.ts';
import { selfRatings } from './self-ratings.ts';
import { disagreements, slices } from './slices.ts';

/** JSON with object keys sorted at every depth: the same report always has the same bytes, whatever built it. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function reportHash(report: Omit<AgreementReport, 'generatedAt' | 'reportSha256'>): string {
  return createHash('sha256').update(canonicalJson(report)).digest('hex');
}

/**
 * The agreement report of gathered data (pure apart from the timestamp): judge vs humans per criterion and on the
 * weighted score, self-ratings, simulator vs humans (turns, outcomes, behaviour), slices, disagreeing answers and
 * provenance. Sections without enough data carry the statistics' reasons instead of numbers.
 */
export function computeAgreementReport(
  study: { id: string; name: string },
  data: AgreementData,
  settings: AgreementSettings,
  now = new Date(),
): AgreementReport {
  const records = new Map(data.records.map((r) => [r.problemId, r]));
  const { byCriterion, weighted } = scoreUnits(data.items, records);
  const criteria = [...byCriterion.keys()].sort();
  const rows = [
    ...criteria.map((c) => judgeHumanRow(c, byCriterion.get(c) ?? [], settings, false)),
    judgeHumanRow(WEIGHTED, weighted, settings, true),
  ];
  const criterionUnits = criteria.flatMap((c) => byCriterion.get(c) ?? []);
  const pairs = outcomePairs(data.live, data.twins, data.baselines, records);
  const body: Omit<AgreementReport, 'generatedAt' | 'reportSha256'> = {
    studyId: study.id,
    studyName: study.name,
    settings: { epsilon: settings.epsilon, resamples: settings.resamples, seed: settings.seed, level: LEVEL },
    counts: {
      ratedItems: data.items.length,
      ratings: data.items.reduce((s, i) => s + i.raters.length, 0),
      raters: new Set(data.items.flatMap((i) => i.raters)).size,
      liveEpisodes: data.live.length,
      twinEpisodes: data.twins.length,
      baselineEpisodes: data.baselines.length,
    },
    judgeVsHumans: { rows, correctnessKappa: correctnessKappa(data.items, settings) },
    selfRatings: selfRatings(data.items, settings),
    disclosure: disclosureSection(data.live, records, settings),
    outcomes: outcomes(pairs, settings),
    behaviour: behaviour(data.live, data.twins),
    slices: { rows: slices(rows, criterionUnits, settings) },
    disagreements: disagreements(criterionUnits, data.items),
    plots: plots(criterionUnits, weighted, pairs, records),
    provenance: { itemIds: data.items.map((i) => i.itemId), ...data.provenance },
  };
  return { ...body, generatedAt: now.toISOString(), reportSha256: reportHash(body) };
}

/** The report of a study computed from the database alone; null when there is no such study. */
export async function agreementReport(
  storage: Storage,
  studyId: string,
  settings: AgreementSettings,
): Promise<AgreementReport | null> {
  const study = await storage.getStudy(studyId);
  if (!study) return null;
  return computeAgreementReport(study, await gatherAgreementData(storage, study.id), settings);
}
