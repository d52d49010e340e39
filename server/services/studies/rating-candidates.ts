import { AppError, type ErrorIssue } from '../../../shared/errors.ts';
import type { BenchmarkRecord } from '../../../shared/schemas/benchmark.ts';
import type { EpisodeEvent, EpisodeSummary } from '../../../shared/schemas/episode.ts';
import type { Mode } from '../../../shared/schemas/evaluation.ts';
import type { GoldItem, TranscriptTurn } from '../../../shared/schemas/live-study.ts';
import type { NewRatingCandidate } from '../../storage/study-work-storage.ts';
import { providerOf } from '../research/test-models.ts';
import { requireStudy, type SettingsDeps } from './study-settings.ts';

type Message = Extract<EpisodeEvent, { type: 'message' }>;

/** The answer judged: the last final_answer message (live and batch episodes log it the same way). */
export function finalAnswerOf(events: readonly EpisodeEvent[]): string | null {
  const finals = events.filter((e): e is Message => e.type === 'message' && e.kind === 'final_answer');
  return finals.at(-1)?.content ?? null;
}

/**
 * The dialogue before the final answer: the opening, the model's questions and the user's replies. The automatic
 * ###STOP### and the engine's final prompt are plumbing, and the simulator's private `thought` is never copied. A
 * "question" turn whose action was the final answer is the model answering in the loop: the rater sees the answer
 * itself, and keeping that turn would make dialogues the model ended one turn longer than those the turn limit ended.
 */
export function transcriptOf(events: readonly EpisodeEvent[]): TranscriptTurn[] | null {
  const turns = events
    .filter(
      (e): e is Message =>
        e.type === 'message' &&
        (e.kind === 'opening' || e.kind === 'reply' || (e.kind === 'question' && e.action?.final !== true)),
    )
    .map((e) => ({ role: e.role, content: e.content }));
  return turns.length > 1 ? turns : null;
}

/** Scores must name every rubric criterion exactly once, and nothing else. */
export function scoreIssues(record: BenchmarkRecord, scores: Record<string, number>, path = '$.scores'): ErrorIssue[] {
  const criteria = record.evaluation_rubric.evaluation_criteria.map((c) => c.preference);
  const issues: ErrorIssue[] = criteria
    .filter((c) => scores[c] === undefined)
    .map((c) => ({ path: `${path}[${JSON.stringify(c)}]`, message: 'this criterion needs a score from 1 to 5' }));
  for (const key of Object.keys(scores)) {
    if (!criteria.includes(key))
      issues.push({ path: `${path}[${JSON.stringify(key)}]`, message: 'not a criterion of this rubric' });
  }
  return issues;
}

async function openForCandidates(deps: SettingsDeps, studyId: string): Promise<void> {
  await requireStudy(deps.storage, studyId);
  const settings = await deps.storage.work.getSettings(studyId);
  if (settings?.status === 'closed') throw new AppError('study_closed', 'the study is closed');
}

/** An answer an episode would put in the queue, with what the researcher's preview groups it by. */
export interface EpisodeCandidate {
  candidate: NewRatingCandidate & { sourceEpisodeId: string };
  model: string;
  mode: Mode;
  /** The assistant's provider kind as the episode's provenance records it; null when it does not. */
  provider: string | null;
}

/** The provider kind the model under test ran on, from the episode_started provenance. */
function assistantProvider(events: readonly EpisodeEvent[]): string | null {
  const started = events.find((e) => e.type === 'episode_started');
  return started ? providerOf(started.provenance, 'assistant') : null;
}

/**
 * A stored episode its caller already holds as stored, so it is not read again: a live episode that just ended on
 * this node, with its log in memory. Why: reading and parsing the whole episode back was most of what adding a live
 * answer to the queue cost the live loop (profiled at 1,000 persons).
 */
export interface HeldEpisode {
  /** As `live.begin` stored it: the record, mode and model, which its end does not change. */
  summary: Pick<EpisodeSummary, 'id' | 'problemId' | 'mode' | 'assistantModel'>;
  /** Its log as stored, from seq 0: at least its whole conversation (events after it do not change the answer). */
  events: readonly EpisodeEvent[];
  /** Who played it (sourceParticipantOf). */
  participantId: string | null;
}

/**
 * The answers these episodes would add to the study's queue. Every episode must exist, have a final answer and be
 * about a record of the study; otherwise each problem is reported and nothing is returned. `held`: episodes the caller
 * holds as stored, not read again.
 */
export async function episodeCandidates(
  deps: SettingsDeps,
  studyId: string,
  episodeIds: readonly string[],
  held: readonly HeldEpisode[] = [],
): Promise<EpisodeCandidate[]> {
  await openForCandidates(deps, studyId);
  const inHand = new Map(held.map((h) => [h.summary.id, h]));
  // Every episode in hand (a live answer): only its records are looked up, not every record of the study listed.
  const only = episodeIds.every((id) => inHand.has(id))
    ? [...new Set(held.map((h) => h.summary.problemId))]
    : undefined;
  const records = new Set(await deps.storage.work.listProblemIds(studyId, only));
  const issues: ErrorIssue[] = [];
  const found: EpisodeCandidate[] = [];
  for (const [i, episodeId] of episodeIds.entries()) {
    const path = `$.episodeIds[${i}]`;
    const known = inHand.get(episodeId);
    const episode = known ?? (await deps.storage.getEpisode(episodeId));
    if (!episode) {
      issues.push({ path, message: 'no such episode' });
      continue;
    }
    const answer = finalAnswerOf(episode.events);
    if (!records.has(episode.summary.problemId)) {
      issues.push({ path, message: `its record ${episode.summary.problemId} is not in this study` });
      continue;
    }
    if (answer === null) {
      issues.push({ path, message: 'the episode has no final answer' });
      continue;
    }
    found.push({
      candidate: {
        problemId: episode.summary.problemId,
        sourceEpisodeId: episodeId,
        sourceParticipantId: known ? known.participantId : await deps.storage.live.sourceParticipantOf(episodeId),
        answer,
        transcript: transcriptOf(episode.events),
        gold: null,
      },
      model: episode.summary.assistantModel,
      mode: episode.summary.mode,
      provider: assistantProvider(episode.events),
    });
  }
  if (issues.length > 0)
    throw new AppError('invalid_payload', 'some episodes cannot be rated in this study', { issues });
  return found;
}

/**
 * Makes stored episodes' final answers rateable in a study: live sessions and `prefdisco run` episodes alike. Every
 * episode must exist, have a final answer and be about a record of the study; otherwise nothing is added and each
 * problem is reported. Adding an episode twice changes nothing.
 */
export async function addRatingCandidates(
  deps: SettingsDeps,
  studyId: string,
  episodeIds: readonly string[],
  held: readonly HeldEpisode[] = [],
): Promise<{ added: number; unchanged: number }> {
  const found = await episodeCandidates(deps, studyId, episodeIds, held);
  return deps.storage.work.addRatingCandidates(
    studyId,
    found.map((f) => f.candidate),
    deps.now(),
  );
}

/**
 * A batch run's completed episodes in the given conditions (the researcher usually picks discovery, or discovery plus
 * the generic baseline for the worse-than-generic comparison). The run must belong to this study.
 */
export async function runEpisodeIds(
  deps: SettingsDeps,
  studyId: string,
  runId: string,
  modes: readonly Mode[],
): Promise<string[]> {
  const run = await deps.storage.research.getRun(runId);
  if (!run || run.studyId !== studyId) throw new AppError('not_found', 'no such run in this study');
  const episodes = await deps.storage.listEpisodes({ runId, limit: 100_000 });
  return episodes.filter((e) => e.status === 'completed' && modes.includes(e.mode)).map((e) => e.id);
}

/** The run's answers to send: refused when the run has none in these conditions. */
export async function runAnswerIds(
  deps: SettingsDeps,
  studyId: string,
  runId: string,
  modes: readonly Mode[],
): Promise<string[]> {
  const ids = await runEpisodeIds(deps, studyId, runId, modes);
  if (ids.length === 0)
    throw new AppError('invalid_payload', `the run has no completed episodes in ${modes.join(', ')}`);
  return ids;
}

/** Sends a batch run's answers in the given conditions to the raters. Answers already queued stay as they are. */
export async function addRunAnswers(
  deps: SettingsDeps,
  studyId: string,
  runId: string,
  modes: readonly Mode[],
): Promise<{ added: number; unchanged: number }> {
  return addRatingCandidates(deps, studyId, await runAnswerIds(deps, studyId, runId, modes));
}

/** Adds attention items: answers written by the researcher with the scores a careful rater gives them. */
export async function addGoldItems(deps: SettingsDeps, studyId: string, items: GoldItem[]): Promise<{ added: number }> {
  await openForCandidates(deps, studyId);
  const issues: ErrorIssue[] = [];
  for (const [i, item] of items.entries()) {
    const record = await deps.storage.getRecord(studyId, item.problemId);
    if (!record) issues.push({ path: `$.items[${i}].problemId`, message: 'not a record of this study' });
    else issues.push(...scoreIssues(record, item.expectedScores, `$.items[${i}].expectedScores`));
  }
  if (issues.length > 0) throw new AppError('invalid_payload', 'some gold items are not valid', { issues });
  const { added } = await deps.storage.work.addRatingCandidates(
    studyId,
    items.map((item) => ({
      problemId: item.problemId,
      sourceEpisodeId: null,
      sourceParticipantId: null,
      answer: item.answer,
      transcript: null,
      gold: { expectedScores: item.expectedScores, tolerance: item.tolerance },
    })),
    deps.now(),
  );
  return { added };
}
