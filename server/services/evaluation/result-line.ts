import type { BenchmarkRecord } from '../../../shared/schemas/benchmark.ts';
import { personaIdOf } from '../../../shared/benchmark/record-checks.ts';
import type { EpisodeEvent, Provenance } from '../../../shared/schemas/episode.ts';
import type { EvalResult, Mode, UserType } from '../../../shared/schemas/evaluation.ts';
import type { EpisodeResult } from '../../engine/episode-result.ts';

/** Our additions to a reference result line, under one key so reference tools ignore them. */
export interface ResultExtras {
  episode_id: string;
  task: string;
  assistant_model: string;
  judge_model: string;
  simulator_model: string | null;
  app_version: string;
  record_sha256: string;
  prompt_hashes: Record<string, string>;
  /** The prompt pack's name and hash (docs/prompt-packs.md); null for our own prompts. */
  prompt_pack: { name: string; sha256: string } | null;
  options: Record<string, unknown>;
  disclosure: { turn: number; asked: string[]; revealed: { preference: string; value: string }[]; issue?: string }[];
  issues: string[];
  test_model: boolean;
}

/**
 * One reference-format result line (docs/engine.md) for a completed episode, plus `prefdisco_live` extras. Where the
 * reference always wrote `preferences_expressed: []` (its detector reads the wrong key), we fill it with the
 * preferences the disclosure ledger says the user revealed.
 */
export function resultLine(
  record: BenchmarkRecord,
  mode: Mode,
  userType: UserType,
  result: EpisodeResult,
  extras: { episodeId: string; task: string; provenance: Provenance; testModel: boolean },
): EvalResult & { prefdisco_live: ResultExtras } {
  const disclosure = result.events.filter(
    (e): e is Extract<EpisodeEvent, { type: 'disclosure_labeled' }> => e.type === 'disclosure_labeled',
  );
  const revealed = [...new Set(disclosure.flatMap((d) => d.revealed.map((r) => r.preference)))];
  const issues = result.events.flatMap((e) =>
    'issue' in e && typeof e.issue === 'string' ? [`${e.type}: ${e.issue}`] : [],
  );
  const p = extras.provenance;
  return {
    problem_id: record.problem_id,
    persona_id: personaIdOf(record),
    mode,
    user_type: userType,
    weighted_score: result.weightedScore,
    correct: result.correctness.correct,
    conversation: result.conversation.map((m) => ({ role: m.role, content: m.content })),
    evaluation: {
      correctness: { justification: result.correctness.justification, correct: result.correctness.correct ?? 0 },
      criteria_scores: Object.fromEntries(
        result.judgments.map((j) => [
          j.preference,
          { score: j.score ?? 0, justification: j.justification, weight: j.weight },
        ]),
      ),
      weighted_score: result.weightedScore,
      interaction_turns: result.interactionTurns,
      preferences_expressed: revealed,
    },
    timestamp: Date.now() / 1000,
    prefdisco_live: {
      episode_id: extras.episodeId,
      task: extras.task,
      assistant_model: p.assistantModel,
      judge_model: p.judgeModel,
      simulator_model: p.simulatorModel,
      app_version: p.appVersion,
      record_sha256: p.recordSha256,
      prompt_hashes: p.promptHashes,
      prompt_pack: p.promptPack ?? null,
      options: p.options,
      disclosure: disclosure.map((d) => ({
        turn: d.turn,
        asked: d.asked,
        revealed: d.revealed,
        ...(d.issue ? { issue: d.issue } : {}),
      })),
      issues,
      test_model: extras.testModel,
    },
  };
}
