import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { EpisodeEvent, NewEpisodeEvent } from '../../shared/schemas/episode.ts';
import type { Mode, UserType } from '../../shared/schemas/evaluation.ts';
import { buildApp } from '../../server/app.ts';
import type { EpisodeSummary } from '../../server/storage/episode-storage.ts';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import type { Storage } from '../../server/storage/storage.ts';
import { listenOnce } from './auth-helpers.ts';

/** The real app for live-study tests: a fresh SQLite file, extra declared models, listening on port 0. */

export interface WorkApp {
  app: FastifyInstance;
  storage: Storage;
  url: string;
  close(): Promise<void>;
}

export async function startWorkApp(dir: string, declaredModels: string[] = []): Promise<WorkApp> {
  const storage = SqliteStorage.open({
    file: join(dir, `work-${Date.now()}-${Math.random().toString(36).slice(2)}.sqlite`),
  });
  const app = await buildApp({
    config: { clientDir: join(dir, 'no-client') },
    storage,
    isDeclaredModel: (name) => name === 'scripted' || declaredModels.includes(name),
    rateLimits: { loginPerMinute: 10_000, joinPerMinute: 10_000 },
  });
  const url = await listenOnce(app);
  return {
    app,
    storage,
    url,
    close: async () => {
      await app.close();
      await storage.close();
    },
  };
}

/** A JSON request as a researcher's browser makes it. */
export async function call(
  app: FastifyInstance,
  cookie: string | null,
  method: 'GET' | 'PUT' | 'POST',
  url: string,
  payload?: unknown,
): Promise<{ status: number; body: unknown }> {
  const res = await app.inject({
    method,
    url,
    ...(cookie ? { headers: { cookie } } : {}),
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  return { status: res.statusCode, body: res.json() };
}

export interface EpisodeShape {
  id: string;
  problemId: string;
  personaId: string;
  mode: Mode;
  userType: UserType;
  userSeat: 'simulated' | 'person' | 'none';
  assistantModel: string;
  judgeModel: string;
  simulatorModel: string | null;
  runId?: string | null;
  /** The final answer as the model wrote it (markers and all). */
  finalAnswer: string;
  /** Question/reply pairs before the final answer (discovery only). */
  exchanges?: { question: string; reply: string; thought?: string }[];
}

/** An episode's summary and event log in the shape the engine writes them. */
export function episodeLog(e: EpisodeShape): { summary: EpisodeSummary; events: EpisodeEvent[] } {
  const at = '2030-01-01T10:00:00.000Z';
  const raw: NewEpisodeEvent[] = [
    {
      type: 'episode_started',
      problemId: e.problemId,
      personaId: e.personaId,
      mode: e.mode,
      userType: e.userType,
      userSeat: e.userSeat,
      maxTurns: 5,
      fixedQuestions: null,
      provenance: {
        appVersion: 'test',
        assistantModel: e.assistantModel,
        judgeModel: e.judgeModel,
        simulatorModel: e.simulatorModel,
        modelSettings: { assistant: { model: e.assistantModel } },
        promptHashes: {},
        recordSha256: 'r',
        personaSha256: 'p',
        rubricSha256: 'q',
        benchmarkSha256: null,
        options: { mode: e.mode },
      },
    },
    {
      type: 'message',
      role: 'user',
      kind: 'opening',
      turn: 0,
      content: 'I need help with the following task: the question',
    },
  ];
  (e.exchanges ?? []).forEach((x, turn) => {
    raw.push({
      type: 'message',
      role: 'assistant',
      kind: 'question',
      turn,
      content: x.question,
      action: { final: false, via: 'marker' },
    });
    raw.push({
      type: 'message',
      role: 'user',
      kind: 'reply',
      turn,
      content: x.reply,
      ...(x.thought ? { thought: x.thought } : {}),
    });
  });
  if (e.mode === 'infer_persona')
    raw.push({ type: 'message', role: 'user', kind: 'final_prompt', turn: 1, content: 'Now give your final answer.' });
  raw.push({ type: 'message', role: 'assistant', kind: 'final_answer', turn: 1, content: e.finalAnswer });
  raw.push({ type: 'correctness_judged', correct: 1, justification: `judged by ${e.judgeModel}`, attempts: 1 });
  raw.push({ type: 'episode_completed', weightedScore: 4, correct: 1, interactionTurns: e.exchanges?.length ?? 0 });
  const events = raw.map((event, seq) => ({ ...event, seq, at }) as EpisodeEvent);
  const summary: EpisodeSummary = {
    id: e.id,
    runId: e.runId ?? null,
    problemId: e.problemId,
    personaId: e.personaId,
    mode: e.mode,
    userType: e.userType,
    userSeat: e.userSeat,
    status: 'completed',
    weightedScore: 4,
    correct: 1,
    interactionTurns: e.exchanges?.length ?? 0,
    assistantModel: e.assistantModel,
    judgeModel: e.judgeModel,
    simulatorModel: e.simulatorModel,
    failure: null,
    startedAt: at,
    endedAt: at,
  };
  return { summary, events };
}

/** Stores an episode as a live session played by `participantId` (through live storage, as live play does). */
export async function storeLiveEpisode(
  storage: Storage,
  e: EpisodeShape,
  studyId: string,
  participantId: string,
): Promise<void> {
  const { summary, events } = episodeLog(e);
  await storage.live.begin({
    summary: { ...summary, status: 'running' },
    studyId,
    participantId,
    assignmentId: null,
    spec: {},
  });
  for (const event of events) await storage.live.append(e.id, event);
  await storage.live.finish(e.id, {
    status: 'completed',
    weightedScore: 4,
    correct: 1,
    interactionTurns: summary.interactionTurns,
    failure: null,
  });
}
