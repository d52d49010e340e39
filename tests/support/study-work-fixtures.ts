import { LiveStudySettingsSchema, type LiveStudySettings } from '../../shared/schemas/live-study.ts';
import type { EpisodeSummary } from '../../server/storage/episode-storage.ts';
import type { Storage } from '../../server/storage/storage.ts';
import type { NewRatingCandidate } from '../../server/storage/study-work-storage.ts';
import { exampleRecord } from './records.ts';

/** Small builders for the study-work contract: a study with records, stored episodes, settings and candidates. */

export const T0 = new Date('2030-01-01T00:00:00.000Z');

export function minutesAfter(start: Date, minutes: number): Date {
  return new Date(start.getTime() + minutes * 60_000);
}

export async function studyWithRecords(
  storage: Pick<Storage, 'importBenchmark'>,
  name: string,
  count: number,
): Promise<{ studyId: string; problemIds: string[] }> {
  const records = Array.from({ length: count }, (_, i) => exampleRecord(i));
  const outcome = await storage.importBenchmark({
    studyName: name,
    sourceName: 'bench.jsonl',
    sha256: `sha-${name}`,
    bytes: 1,
    metadata: null,
    records: records.map((record, i) => ({ line: i + 1, task: 'math', record })),
  });
  return { studyId: outcome.studyId, problemIds: records.map((r) => r.problem_id) };
}

export function settings(over: Record<string, unknown> = {}): LiveStudySettings {
  return LiveStudySettingsSchema.parse({ status: 'open', models: ['model-a'], ...over });
}

export async function storeEpisode(storage: Storage, id: string, problemId: string): Promise<void> {
  const summary: EpisodeSummary = {
    id,
    runId: null,
    problemId,
    personaId: 'okafor_3fa9c21b',
    mode: 'infer_persona',
    userType: 'passive_nostop',
    userSeat: 'simulated',
    status: 'completed',
    weightedScore: 3,
    correct: 1,
    interactionTurns: 1,
    assistantModel: 'model-a',
    judgeModel: 'judge',
    simulatorModel: 'sim',
    failure: null,
    startedAt: T0.toISOString(),
    endedAt: T0.toISOString(),
  };
  await storage.saveEpisode(summary, []);
}

/** Stores one episode per candidate and returns the candidates, answer i for problem i mod records. */
export async function episodeCandidates(
  storage: Storage,
  problemIds: string[],
  count: number,
  sourceParticipant: (i: number) => string | null = () => null,
): Promise<NewRatingCandidate[]> {
  const out: NewRatingCandidate[] = [];
  for (let i = 0; i < count; i++) {
    const problemId = problemIds[i % problemIds.length] ?? '';
    const episodeId = `episode-${i}-${Math.random().toString(36).slice(2)}`;
    await storeEpisode(storage, episodeId, problemId);
    out.push({
      problemId,
      sourceEpisodeId: episodeId,
      sourceParticipantId: sourceParticipant(i),
      answer: `answer ${i}`,
      transcript: null,
      gold: null,
    });
  }
  return out;
}

export function goldCandidate(problemId: string, answer = 'a deliberately poor answer'): NewRatingCandidate {
  return {
    problemId,
    sourceEpisodeId: null,
    sourceParticipantId: null,
    answer,
    transcript: null,
    gold: { expectedScores: { a: 1 }, tolerance: 1 },
  };
}

export const SCORES = { a: 3 };

/** A constant "random" source: 0 always draws gold (when goldRate > 0), 0.999 never does (when goldRate < 1). */
export const ALWAYS_GOLD = (): number => 0;
export const NEVER_GOLD = (): number => 0.999;
