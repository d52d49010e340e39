import type { EpisodeSource } from '../../../shared/schemas/research.ts';
import { computeMetrics, type MetricRow, type MetricsReport } from '../../../shared/stats/index.ts';
import type { EpisodeStatus } from '../../storage/episode-storage.ts';
import type { StudyEpisode } from '../../storage/research-storage.ts';
import type { Storage } from '../../storage/storage.ts';
import {
  onlyRecords,
  recordCoverage,
  rowCoverage,
  type RecordCoverage,
  type RowCoverage,
  type SourcedRow,
} from './record-coverage.ts';
import { studyEpisodes } from './study-episodes.ts';
import { testModelsOf } from './test-models.ts';

export interface StudyResults {
  /** PrefDisco metrics over the study's completed episodes (docs/metrics.md). */
  metrics: MetricsReport;
  /** Episodes per source and status; failed ones are not in the metrics. */
  episodes: Record<EpisodeSource, Record<EpisodeStatus, number>>;
  failed: number;
  /** Models behind these numbers (under test, judge or simulator) that are the offline test model. */
  testModels: string[];
  /** Which records the rows cover, before any restriction, and what each row of these numbers rests on. */
  coverage: RecordCoverage & { sameRecords: boolean; rows: RowCoverage[] };
}

/** The user seat's label as a metric "user type": people and the simulated twins are conditions of their own. */
export function metricUserType(e: StudyEpisode): string {
  if (e.mode !== 'infer_persona') return e.userType;
  if (e.source === 'live' && e.userSeat === 'person') return 'human';
  if (e.source === 'twin') return 'twin';
  return e.userType;
}

function metricRow(e: StudyEpisode): MetricRow {
  return {
    model: e.assistantModel,
    task: e.task,
    problemId: e.problemId,
    mode: e.mode,
    userType: metricUserType(e),
    score: e.weightedScore,
    correct: e.correct,
    turns: e.interactionTurns ?? 0,
  };
}

const emptyCounts = (): Record<EpisodeStatus, number> => ({ running: 0, completed: 0, failed: 0, aborted: 0 });

/**
 * Metrics over a study's completed episodes, batch and live alike, keyed by the assistant model and the record's
 * source task. Discovery episodes played by people count as user type `human` and their simulated twins as `twin`, so
 * both sit next to the batch run's simulated user types and pair with the same baseline and oracle episodes.
 */
export async function studyResults(
  storage: Storage,
  studyId: string,
  options: { resamples: number; seed: number; sameRecords?: boolean },
): Promise<StudyResults> {
  const all: SourcedRow[] = [];
  const episodes: StudyResults['episodes'] = { batch: emptyCounts(), live: emptyCounts(), twin: emptyCounts() };
  const modelsOf = new Map<string, string>();
  for await (const page of studyEpisodes(storage, studyId)) {
    for (const e of page) {
      episodes[e.source][e.status] += 1;
      if (e.status !== 'completed' || e.weightedScore === null) continue;
      all.push({ row: metricRow(e), source: e.source, episodeId: e.id });
      modelsOf.set(e.id, JSON.stringify([e.assistantModel, e.judgeModel, e.simulatorModel]));
    }
  }
  const { coverage, common } = recordCoverage(all);
  const sameRecords = options.sameRecords === true;
  // Restricted before computing, so every mean, interval and pairing is over the common records only.
  const rows = sameRecords ? onlyRecords(all, common) : all;
  // One episode per combination of models stands for the others: its provenance says which provider each ran on.
  const byModels = new Map<string, string>();
  for (const r of rows) {
    const key = modelsOf.get(r.episodeId) as string;
    if (!byModels.has(key)) byModels.set(key, r.episodeId);
  }
  const failed = episodes.batch.failed + episodes.live.failed + episodes.twin.failed;
  return {
    metrics: computeMetrics(
      rows.map((r) => r.row),
      { resamples: options.resamples, seed: options.seed },
    ),
    episodes,
    failed,
    testModels: await testModelsIn(storage, byModels),
    coverage: { ...coverage, sameRecords, rows: rowCoverage(rows) },
  };
}

async function testModelsIn(storage: Storage, episodeIds: Map<string, string>): Promise<string[]> {
  const provenances = [];
  for (const id of episodeIds.values()) {
    const started = (await storage.getEpisode(id))?.events.find((e) => e.type === 'episode_started');
    if (started) provenances.push(started.provenance);
  }
  return testModelsOf(provenances);
}
