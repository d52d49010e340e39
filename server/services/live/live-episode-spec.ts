import type { BenchmarkRecord } from '../../../shared/schemas/benchmark.ts';
import type { EpisodeParticipants, EpisodeSpec } from '../../engine/episode-runner.ts';
import type { PromptSet } from '../../engine/prompt-library.ts';
import type { LiveEpisodeInfo } from '../../storage/live-storage.ts';
import { batchParticipants, buildProvenance, type EvaluationModels } from '../evaluation/episode-setup.ts';
import type { LivePlaySettings } from './live-types.ts';
import type { PersonSeat } from './person-seat.ts';

/**
 * What the engine runs for a live episode (LiveEpisodes.launch): its spec, and its participants as in a batch run but
 * with the person in the user seat.
 */
export function liveEpisodeSpec(
  info: LiveEpisodeInfo,
  record: BenchmarkRecord,
  settings: LivePlaySettings,
  models: EvaluationModels,
  prompts: PromptSet,
  seat: PersonSeat,
): { spec: EpisodeSpec; participants: EpisodeParticipants } {
  const provenance = buildProvenance(record, models, true, { live: true, ...info.spec }, null, prompts);
  const participants = {
    ...batchParticipants(record, info.summary.mode, info.summary.userType, null, models, provenance, { prompts }),
    user: seat,
    // The person waits for the model's next turn only, never for the labeler.
    labelBesideNextTurn: true,
  };
  const spec: EpisodeSpec = {
    record,
    mode: info.summary.mode,
    userType: info.summary.userType,
    maxTurns: Number(info.spec.maxTurns ?? settings.maxTurns),
    prompts,
  };
  return { spec, participants };
}
