import type { EpisodeSummary } from '../../shared/schemas/episode.ts';

/** A running episode's summary with the scripted models, as storage tests begin one; `over` changes any field. */
export function runningEpisodeSummary(id: string, over: Partial<EpisodeSummary> = {}): EpisodeSummary {
  return {
    id,
    runId: null,
    problemId: 'problem-1',
    personaId: 'persona-1',
    mode: 'infer_persona',
    userType: 'passive_nostop',
    userSeat: 'simulated',
    status: 'running',
    weightedScore: null,
    correct: null,
    interactionTurns: null,
    assistantModel: 'scripted',
    judgeModel: 'scripted',
    simulatorModel: 'scripted',
    failure: null,
    startedAt: new Date().toISOString(),
    endedAt: null,
    ...over,
  };
}
