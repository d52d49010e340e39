import type { Provenance } from '../../../shared/schemas/episode.ts';
import type { Storage } from '../../storage/storage.ts';
import type { AgreementData, ProvenanceSets } from './agreement-data.ts';
import { gatherEpisodes } from './gather-episodes.ts';
import { ratedItems, sourceEpisodes } from './gather-ratings.ts';
import { recordInfo } from './record-info.ts';
import { testModelsOf } from '../research/test-models.ts';

const sortedUnique = (values: Iterable<string>): string[] => [...new Set(values)].sort();

/** Distinct models, prompt and rubric hashes and app versions, sorted, so the report names exactly what it used. */
export function provenanceSets(provenances: readonly Provenance[]): ProvenanceSets {
  return {
    models: sortedUnique(provenances.map((p) => p.assistantModel)),
    judgeModels: sortedUnique(provenances.map((p) => p.judgeModel)),
    simulatorModels: sortedUnique(provenances.flatMap((p) => (p.simulatorModel === null ? [] : [p.simulatorModel]))),
    promptHashes: sortedUnique(
      provenances.flatMap((p) => Object.entries(p.promptHashes).map(([name, hash]) => `${name}:${hash}`)),
    ),
    rubricHashes: sortedUnique(provenances.map((p) => p.rubricSha256)),
    appVersions: sortedUnique(provenances.map((p) => p.appVersion)),
    testModels: testModelsOf(provenances),
  };
}

/**
 * Everything the agreement report needs of a study, read from the database alone: its records, its rated answers
 * with the judge's verdicts and the actors' own ratings, its live episodes with twin replies and labels, their
 * simulated twins, and the generic baselines of its batch runs.
 */
export async function gatherAgreementData(storage: Storage, studyId: string): Promise<AgreementData> {
  const records = (await storage.research.listStudyRecords(studyId)).map((r) => recordInfo(r.problemId, r.record));
  const byProblem = new Map(records.map((r) => [r.problemId, r]));
  const ratings = await storage.work.listRatings(studyId);
  const sourceIds = sortedUnique(
    ratings.flatMap((r) => (r.isGold || r.sourceEpisodeId === null ? [] : [r.sourceEpisodeId])),
  );
  const sources = await sourceEpisodes(storage, sourceIds);
  const items = ratedItems(ratings, byProblem, sources);
  const harvest = await gatherEpisodes(storage, studyId);
  const used = [...items.flatMap((i) => sources.get(i.sourceEpisodeId)?.started ?? []), ...harvest.started].map(
    (s) => s.provenance,
  );
  return {
    records,
    items,
    live: harvest.live,
    twins: harvest.twins,
    baselines: harvest.baselines,
    provenance: provenanceSets(used),
  };
}
