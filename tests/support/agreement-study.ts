import { join } from 'node:path';
import type { BenchmarkRecord } from '../../shared/schemas/benchmark.ts';
import type { EpisodeEvent, NewEpisodeEvent } from '../../shared/schemas/episode.ts';
import { LiveStudySettingsBodySchema } from '../../shared/schemas/live-study.ts';
import { importBenchmarkFile } from '../../server/services/benchmark/import-benchmark-file.ts';
import { createStudyWork } from '../../server/services/studies/study-work-service.ts';
import type { EpisodeSummary } from '../../server/storage/episode-storage.ts';
import { joinAs, type AppUnderTest } from './auth-helpers.ts';
import { referenceExample } from './records.ts';
import { jsonl, writeFile } from './temp-files.ts';

/**
 * A small agreement study built through the real import, storage and rating services, with hand-chosen numbers
 * (tests/integration/agreement-report.test.ts computes every statistic of it by hand). Episodes are written directly
 * as the engine would log them: they are fixtures, not the code under test.
 */

export const C1 = 'Comfort with Polygon Decomposition'; // expertise, true value 2
export const C2 = 'Honeycomb Analogies'; // personal, true value 5

/** The reference example with two preferences weighted ½ each, for persona `personaId` aged `age`. */
function record(index: number, personaId: string, age: number): BenchmarkRecord {
  const r = referenceExample();
  r.problem_id = `problem_${index}_${personaId}`;
  r.persona = { ...r.persona, id: personaId, demographics: { ...r.persona.demographics, age } };
  const { [C1]: c1, [C2]: c2 } = r.persona_preferences;
  r.persona_preferences = { [C1]: c1 as NonNullable<typeof c1>, [C2]: c2 as NonNullable<typeof c2> };
  r.evaluation_rubric.evaluation_criteria = r.evaluation_rubric.evaluation_criteria
    .filter((c) => c.preference !== 'Notation Density')
    .map((c) => ({ ...c, weight: 0.5 }));
  return r;
}

export const RECORDS = [record(0, 'persona_a', 22), record(1, 'persona_b', 30), record(2, 'persona_c', 47)];

type Label = { asked: string[]; revealed: { preference: string; value: string }[] };
export interface Turn {
  reply: string;
  human: Label;
  twin?: Label;
}

export interface PlaySpec {
  id: string;
  record: number;
  model: string;
  score: number;
  turns: Turn[];
  /** Judge scores [C1, C2], correctness, and the actor's own rating [C1, C2] (rated answers only). */
  judge?: [number, number, 0 | 1];
  self?: [number, number];
}

function log(spec: {
  record: number;
  model: string;
  seat: 'person' | 'simulated' | 'none';
  score: number;
  turns: Turn[];
  judge?: [number, number, 0 | 1];
  self?: [number, number];
  mode?: 'infer_persona' | 'no_prompt';
  twin?: boolean;
}): EpisodeEvent[] {
  const r = RECORDS[spec.record] as BenchmarkRecord;
  const mode = spec.mode ?? 'infer_persona';
  const raw: NewEpisodeEvent[] = [
    {
      type: 'episode_started',
      problemId: r.problem_id,
      personaId: r.persona.id,
      mode,
      userType: mode === 'no_prompt' ? 'no_user_interaction' : 'passive_nostop',
      userSeat: spec.seat,
      maxTurns: 5,
      fixedQuestions: null,
      provenance: {
        appVersion: 'test-1',
        assistantModel: spec.model,
        judgeModel: 'judge-x',
        simulatorModel: mode === 'no_prompt' ? null : 'sim-y',
        modelSettings: {},
        promptHashes: { discoverySystem: 'p-hash' },
        recordSha256: 'r',
        personaSha256: 'p',
        rubricSha256: `rubric-${spec.record}`,
        benchmarkSha256: null,
        options: {},
      },
    },
    {
      type: 'message',
      role: 'user',
      kind: 'opening',
      turn: 0,
      content: 'I need help with the following task: the hexagon',
    },
  ];
  spec.turns.forEach((t, turn) => {
    raw.push({ type: 'message', role: 'assistant', kind: 'question', turn, content: `Question ${turn}?` });
    raw.push({ type: 'message', role: 'user', kind: 'reply', turn, content: t.reply });
    raw.push({ type: 'disclosure_labeled', turn, ...t.human });
    if (t.twin && !spec.twin) raw.push({ type: 'twin_reply', turn, response: 'twin words', ...t.twin });
  });
  raw.push({
    type: 'message',
    role: 'assistant',
    kind: 'final_answer',
    turn: spec.turns.length,
    content: `The answer for record ${spec.record} by ${spec.model}: 720 degrees.`,
  });
  if (spec.judge) {
    raw.push({
      type: 'criterion_judged',
      preference: C1,
      score: spec.judge[0],
      justification: 'j',
      weight: 0.5,
      attempts: 1,
    });
    raw.push({
      type: 'criterion_judged',
      preference: C2,
      score: spec.judge[1],
      justification: 'j',
      weight: 0.5,
      attempts: 1,
    });
    raw.push({ type: 'correctness_judged', correct: spec.judge[2], justification: 'j', attempts: 1 });
  }
  raw.push({
    type: 'episode_completed',
    weightedScore: spec.score,
    correct: spec.judge?.[2] ?? 1,
    interactionTurns: spec.turns.length,
  });
  if (spec.self)
    raw.push({ type: 'actor_rated', scores: { [C1]: spec.self[0], [C2]: spec.self[1] }, correct: 1, secondsSpent: 20 });
  return raw.map((e, seq) => ({ ...e, seq, at: '2030-01-01T10:00:00.000Z' }) as EpisodeEvent);
}

function summary(
  id: string,
  rec: number,
  model: string,
  seat: 'person' | 'simulated' | 'none',
  score: number,
  turns: number,
  mode: 'infer_persona' | 'no_prompt',
  runId: string | null,
  start: number,
): EpisodeSummary {
  const r = RECORDS[rec] as BenchmarkRecord;
  return {
    id,
    runId,
    problemId: r.problem_id,
    personaId: r.persona.id,
    mode,
    userType: mode === 'no_prompt' ? 'no_user_interaction' : 'passive_nostop',
    userSeat: seat,
    status: 'completed',
    weightedScore: score,
    correct: 1,
    interactionTurns: turns,
    assistantModel: model,
    judgeModel: 'judge-x',
    simulatorModel: mode === 'no_prompt' ? null : 'sim-y',
    failure: null,
    startedAt: new Date(Date.UTC(2030, 0, 1, 10, start)).toISOString(),
    endedAt: null,
  };
}

export interface AgreementStudy {
  studyId: string;
  /** The rater-visible item id of each rated live episode. */
  itemOf: Map<string, string>;
  raters: string[];
}

/**
 * Imports the records, stores live episodes (person-played, with twin replies, labels, judge verdicts and self-ratings),
 * their simulated twins and generic baselines, then has two raters rate the live answers through the rating service.
 */
export async function buildAgreementStudy(
  t: AppUnderTest,
  dir: string,
  input: {
    live: PlaySpec[];
    twins: { id: string; of: string; score: number; turns: Turn[] }[];
    baselines: { record: number; model: string; score: number }[];
    ratings: Record<string, [number, number, 0 | 1][]>;
  },
): Promise<AgreementStudy> {
  const file = writeFile(dir, `agreement-${Date.now()}.jsonl`, jsonl(RECORDS));
  const { outcome } = await importBenchmarkFile(t.storage, file, {
    study: `Agreement ${Math.random().toString(36).slice(2, 8)}`,
    skipImages: true,
  });
  const studyId = outcome.studyId;
  let start = 0;
  for (const p of input.live) {
    const actor = await joinAs(t, 'actor', { studyId });
    await t.storage.live.begin({
      summary: {
        ...summary(p.id, p.record, p.model, 'person', p.score, p.turns.length, 'infer_persona', null, start++),
        status: 'running',
        weightedScore: null,
      },
      studyId,
      participantId: actor.participantId,
      assignmentId: null,
      spec: {},
    });
    for (const e of log({ ...p, seat: 'person' })) await t.storage.live.append(p.id, e);
    await t.storage.live.finish(p.id, {
      status: 'completed',
      weightedScore: p.score,
      correct: p.judge?.[2] ?? 1,
      interactionTurns: p.turns.length,
      failure: null,
    });
  }
  for (const w of input.twins) {
    const live = input.live.find((l) => l.id === w.of) as PlaySpec;
    await t.storage.live.saveTwin(
      w.of,
      summary(w.id, live.record, live.model, 'simulated', w.score, w.turns.length, 'infer_persona', null, start++),
      log({ record: live.record, model: live.model, seat: 'simulated', score: w.score, turns: w.turns, twin: true }),
    );
  }
  await t.storage.research.createStudyRun({
    id: `run-${studyId}`,
    studyId,
    benchmarkSha256: 'b',
    outPath: join(dir, 'run.jsonl'),
    options: {
      model: 'model-a',
      judge: 'judge-x',
      simulator: 'judge-x',
      modes: ['no_prompt'],
      userTypes: ['passive_nostop'],
      maxTurns: 5,
      fixedQuestions: null,
      maxProblems: null,
      seed: 42,
    },
  });
  for (const [i, b] of input.baselines.entries()) {
    await t.storage.saveEpisode(
      summary(`${studyId}-base-${i}`, b.record, b.model, 'none', b.score, 0, 'no_prompt', `run-${studyId}`, start++),
      log({ record: b.record, model: b.model, seat: 'none', score: b.score, turns: [], mode: 'no_prompt' }),
    );
  }

  const work = createStudyWork({ storage: t.storage, isDeclaredModel: () => true, rng: () => 0.999 });
  await work.saveSettings(
    studyId,
    LiveStudySettingsBodySchema.parse({
      models: ['model-a'],
      raterOverlap: 2,
      quotas: { playsPerActor: 1, ratingsPerRater: 10 },
    }),
  );
  await work.transition(studyId, 'open');
  const rated = Object.keys(input.ratings);
  await work.addRatingCandidates(studyId, rated);
  const raters: string[] = [];
  const itemOf = new Map<string, string>();
  for (let r = 0; r < 2; r++) {
    const rater = { participantId: (await joinAs(t, 'rater', { studyId })).participantId, studyId };
    raters.push(rater.participantId);
    for (let n = 0; n < rated.length; n++) {
      const item = await work.nextRating(rater);
      const source = rated.find((id) =>
        item.answer.includes(`record ${input.live.find((l) => l.id === id)?.record} by`),
      ) as string;
      itemOf.set(source, item.itemId);
      const [c1, c2, correct] = input.ratings[source]?.[r] ?? [3, 3, 1];
      await work.submitRating(rater, {
        itemId: item.itemId,
        scores: { [C1]: c1, [C2]: c2 },
        correct,
        secondsSpent: 30,
      });
    }
  }
  return { studyId, itemOf, raters };
}
