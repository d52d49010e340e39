import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { Ack } from '../../shared/protocol/acks.ts';
import type { BlindRatingItem, RatingSubmitted } from '../../shared/schemas/live-study.ts';
import type { Storage } from '../../server/storage/storage.ts';
import { connectSocket, joinAs, signInResearcher, type TestSocket } from './auth-helpers.ts';
import { exampleRecord } from './records.ts';
import { call, episodeLog, startWorkApp, type WorkApp } from './study-work-app.ts';
import { grantStudyRole } from './study-roles.ts';
import { tempDir } from './temp-files.ts';

/**
 * Rating studies for tests of the rating queue: the two example records as a study of their own, stored batch answers
 * sent to rating, gold items, and the rater's requests over a real socket. Everything goes through the researcher's
 * HTTP API, as the console does, except the answers themselves (stored as the engine stores a finished episode).
 */

/** The rubric of the example records (tests/fixtures/reference-example.jsonl). */
export const EXAMPLE_CRITERIA = ['Comfort with Polygon Decomposition', 'Honeycomb Analogies', 'Notation Density'];
/** A valid score for every criterion of the example rubric (2, 3, 4: none at the scale's ends). */
export const EXAMPLE_SCORES: Record<string, number> = Object.fromEntries(EXAMPLE_CRITERIA.map((c, i) => [c, i + 2]));

/** A running app and a signed-in researcher's cookie: what setting up a study needs. */
export interface StudyDesk {
  app: FastifyInstance;
  storage: Storage;
  researcher: string;
  /** The signed-in researcher's id; studies the desk makes are shared with them as owner. */
  researcherId: string;
}

/**
 * The app of a rating test file: a fresh SQLite file declaring `model-a` besides the scripted model, started with a
 * researcher signed in before the file's tests and closed after them; the sockets it connects close after each test.
 */
export interface RatingDesk extends StudyDesk {
  url: string;
  /** Joins `studyId` as `role` (default: rater) through a fresh invitation and connects their socket. */
  join(
    studyId: string,
    role?: 'rater' | 'actor',
  ): Promise<{ socket: TestSocket; participantId: string; cookie: string }>;
  /** A socket with `cookie` (none: no session), closed after the test. */
  connect(cookie?: string): Promise<TestSocket>;
}

export function ratingDesk(): RatingDesk {
  const dir = tempDir();
  let work: WorkApp | null = null;
  let researcher = '';
  let researcherId = '';
  const sockets: TestSocket[] = [];
  beforeAll(async () => {
    work = await startWorkApp(dir, ['model-a']);
    const signedIn = await signInResearcher(work);
    researcher = signedIn.cookie;
    researcherId = signedIn.researcherId;
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.close();
  });
  afterAll(async () => {
    await work?.close();
  });
  const started = (): WorkApp => {
    if (!work) throw new Error('the rating desk is used before the tests start');
    return work;
  };
  const desk: RatingDesk = {
    get app() {
      return started().app;
    },
    get storage() {
      return started().storage;
    },
    get url() {
      return started().url;
    },
    get researcher() {
      return researcher;
    },
    get researcherId() {
      return researcherId;
    },
    connect: async (cookie) => {
      const socket = await connectSocket(started().url, cookie === undefined ? {} : { cookie });
      sockets.push(socket);
      return socket;
    },
    join: async (studyId, role = 'rater') => {
      const joined = await joinAs(started(), role, { studyId });
      return { socket: await desk.connect(joined.cookie), participantId: joined.participantId, cookie: joined.cookie };
    },
  };
  return desk;
}

export interface RatingStudyOptions {
  /** How many batch answers raters get (0: none yet). */
  answers: number;
  /** Settings over `{ condition: 'no_prompt', models: [model] }`. */
  settings?: Record<string, unknown>;
  /** The model the study declares and the answers come from. */
  model: string;
  /** Gold items on the first record, each expecting these scores exactly (tolerance 0). */
  gold?: { count: number; expectedScores: Record<string, number> };
}

let studies = 0;

/** A rating study, opened: the example records, its settings saved, `answers` answers to rate and its gold items. */
export async function openRatingStudy(desk: StudyDesk, options: RatingStudyOptions): Promise<string> {
  const name = `Rating study ${++studies}`;
  const records = [exampleRecord(0), exampleRecord(1)];
  const { studyId } = await desk.storage.importBenchmark({
    studyName: name,
    sourceName: 'b.jsonl',
    sha256: name,
    bytes: 1,
    metadata: null,
    records: records.map((record, i) => ({ line: i + 1, task: 'math', record })),
  });
  // Stored directly, the study has no owner yet: the desk's researcher gets it, as if they had imported it.
  await grantStudyRole(desk.storage, studyId, desk.researcherId);
  const settings = { condition: 'no_prompt', models: [options.model], ...options.settings };
  expect((await call(desk.app, desk.researcher, 'PUT', `/api/studies/${studyId}/settings`, settings)).status).toBe(200);
  await addBatchAnswers(desk, studyId, { count: options.answers, model: options.model });
  if (options.gold) await addGoldItems(desk, studyId, options.gold);
  expect((await call(desk.app, desk.researcher, 'POST', `/api/studies/${studyId}/open`)).status).toBe(200);
  return studyId;
}

/**
 * Stores `count` finished batch answers of `model` (numbered from `from`, alternating between the two example
 * records) and sends them to rating; each must be a new candidate.
 */
export async function addBatchAnswers(
  desk: StudyDesk,
  studyId: string,
  { count, model, from = 0 }: { count: number; model: string; from?: number },
): Promise<string[]> {
  const episodeIds: string[] = [];
  for (let i = from; i < from + count; i++) {
    const id = `${studyId}-answer-${i}`;
    const { summary, events } = episodeLog({
      id,
      problemId: exampleRecord(i % 2).problem_id,
      personaId: 'okafor_3fa9c21b',
      mode: 'no_prompt',
      userType: 'no_user_interaction',
      userSeat: 'none',
      assistantModel: model,
      judgeModel: 'scripted',
      simulatorModel: null,
      finalAnswer: `The sum is 720 (answer ${i}).`,
    });
    await desk.storage.saveEpisode(summary, events);
    episodeIds.push(id);
  }
  if (count > 0) {
    const added = await call(desk.app, desk.researcher, 'POST', `/api/studies/${studyId}/rating-candidates`, {
      episodeIds,
    });
    expect(added.body).toEqual({ added: count, unchanged: 0 });
  }
  return episodeIds;
}

async function addGoldItems(
  desk: StudyDesk,
  studyId: string,
  gold: { count: number; expectedScores: Record<string, number> },
): Promise<void> {
  const items = Array.from({ length: gold.count }, (_, i) => ({
    problemId: exampleRecord(0).problem_id,
    answer: `Hexagons tile the plane (${i}).`,
    expectedScores: gold.expectedScores,
    tolerance: 0,
  }));
  const added = await call(desk.app, desk.researcher, 'POST', `/api/studies/${studyId}/gold-items`, { items });
  expect(added.body).toEqual({ added: gold.count });
}

/** Asks the rating queue for an item (the one in hand again, if the rater holds one). */
export const nextItem = (s: TestSocket): Promise<Ack<BlindRatingItem>> =>
  s.timeout(5000).emitWithAck('rating:next', {});

/**
 * Submits a rating of the example rubric (EXAMPLE_SCORES, correct, 30 s); `over` replaces any field, with values the
 * schema may refuse (the payload is cast so tests can send what a browser must not).
 */
export const submitRating = (
  s: TestSocket,
  itemId: string,
  over: Record<string, unknown> = {},
): Promise<Ack<RatingSubmitted>> =>
  s
    .timeout(5000)
    .emitWithAck('rating:submit', { itemId, scores: EXAMPLE_SCORES, correct: 1, secondsSpent: 30, ...over } as never);
