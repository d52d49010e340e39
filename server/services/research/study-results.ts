import type { EpisodeSource } from '../../../shared/schemas/research.ts';
import { computeMetrics, type MetricRow, type MetricsReport } from '../../../shared/stats/index.ts';
import type { EpisodeStatus } from '../../storage/episode-storage.ts';
import type { StudyEpisode } from '../../storage/research-storage.ts';
import type { Storage } from '../../storage/storage.ts';
import { studyEpisodes } from './study-episodes.ts';

export interface StudyResults {
  /** PrefDisco metrics over the study's completed episodes (docs/metrics.md). */
  metrics: MetricsReport;
  /** Episodes per source and status; failed ones are not in the metrics. */
  episodes: Record<EpisodeSource, Record<EpisodeStatus, number>>;
  failed: number;
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
  options: { resamples: number; seed: number },
): Promise<StudyResults> {
  const rows: MetricRow[] = [];
  const episodes: StudyResults['episodes'] = { batch: emptyCounts(), live: emptyCounts(), twin: emptyCounts() };
  for await (const page of studyEpisodes(storage, studyId)) {
    for (const e of page) {
      episodes[e.source][e.status] += 1;
      if (e.status === 'completed' && e.weightedScore !== null) rows.push(metricRow(e));
    }
  }
  const failed = episodes.batch.failed + episodes.live.failed + episodes.twin.failed;
  return { metrics: computeMetrics(rows, options), episodes, failed };
}
