import { AppError, type ErrorIssue } from '../../../shared/errors.ts';
import type { BenchmarkRecord } from '../../../shared/schemas/benchmark.ts';
import type { EpisodeEvent } from '../../../shared/schemas/episode.ts';
import type { Mode } from '../../../shared/schemas/evaluation.ts';
import type { GoldItem, TranscriptTurn } from '../../../shared/schemas/live-study.ts';
import type { NewRatingCandidate } from '../../storage/study-work-storage.ts';
import { requireStudy, type SettingsDeps } from './study-settings.ts';

type Message = Extract<EpisodeEvent, { type: 'message' }>;

/** The answer judged: the last final_answer message (live and batch episodes log it the same way). */
export function finalAnswerOf(events: readonly EpisodeEvent[]): string | null {
  const finals = events.filter((e): e is Message => e.type === 'message' && e.kind === 'final_answer');
  return finals.at(-1)?.content ?? null;
}

/**
 * The dialogue before the final answer: the opening, the model's questions and the user's replies. The automatic
 * ###STOP### and the engine's final prompt are plumbing, and the simulator's private `thought` is never copied.
 */
export function transcriptOf(events: readonly EpisodeEvent[]): TranscriptTurn[] | null {
  const turns = events
    .filter(
      (e): e is Message =>
        e.type === 'message' && (e.kind === 'opening' || e.kind === 'question' || e.kind === 'reply'),
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

/**
 * Makes stored episodes' final answers rateable in a study: live sessions and `prefdisco run` episodes alike. Every
 * episode must exist, have a final answer and be about a record of the study; otherwise nothing is added and each
 * problem is reported. Adding an episode twice changes nothing.
 */
export async function addRatingCandidates(
  deps: SettingsDeps,
  studyId: string,
  episodeIds: string[],
): Promise<{ added: number; unchanged: number }> {
  await openForCandidates(deps, studyId);
  const records = new Set(await deps.storage.work.listProblemIds(studyId));
  const issues: ErrorIssue[] = [];
  const candidates: NewRatingCandidate[] = [];
  for (const [i, episodeId] of episodeIds.entries()) {
    const path = `$.episodeIds[${i}]`;
    const episode = await deps.storage.getEpisode(episodeId);
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
    candidates.push({
      problemId: episode.summary.problemId,
      sourceEpisodeId: episodeId,
      sourceParticipantId: await deps.storage.live.sourceParticipantOf(episodeId),
      answer,
      transcript: transcriptOf(episode.events),
      gold: null,
    });
  }
  if (issues.length > 0)
    throw new AppError('invalid_payload', 'some episodes cannot be rated in this study', { issues });
  return deps.storage.work.addRatingCandidates(studyId, candidates, deps.now());
}

/**
 * Sends a batch run's answers to the raters: every completed episode of the run in the given conditions (the
 * researcher usually picks discovery, or discovery plus the generic baseline for the worse-than-generic comparison).
 * The run must belong to this study. Answers already queued stay as they are.
 */
export async function addRunAnswers(
  deps: SettingsDeps,
  studyId: string,
  runId: string,
  modes: readonly Mode[],
): Promise<{ added: number; unchanged: number }> {
  const run = await deps.storage.research.getRun(runId);
  if (!run || run.studyId !== studyId) throw new AppError('not_found', 'no such run in this study');
  const episodes = await deps.storage.listEpisodes({ runId, limit: 100_000 });
  const ids = episodes.filter((e) => e.status === 'completed' && modes.includes(e.mode)).map((e) => e.id);
  if (ids.length === 0)
    throw new AppError('invalid_payload', `the run has no completed episodes in ${modes.join(', ')}`);
  return addRatingCandidates(deps, studyId, ids);
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
