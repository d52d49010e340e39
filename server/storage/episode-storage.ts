// The shapes the researcher API sends are the stored ones: one definition, in shared/.
export type { EpisodeStatus, EpisodeSummary } from '../../shared/schemas/episode.ts';

export interface RunInput {
  benchmarkPath: string;
  benchmarkSha256: string | null;
  outPath: string | null;
  options: Record<string, unknown>;
}
