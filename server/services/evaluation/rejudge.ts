import { normalizeProblem } from '../../../shared/benchmark/normalize-problem.ts';
import type { BenchmarkRecord } from '../../../shared/schemas/benchmark.ts';
import { judgeCorrectness } from '../../engine/correctness-judge.ts';
import type { PromptSet } from '../../engine/prompt-library.ts';
import { ReferenceSkipError } from '../../engine/reference-replies.ts';
import type { ModelProvider } from '../../models/model-provider.ts';
import { rewriteJsonLines, type ResultsFile } from './result-files.ts';

/**
 * Resume rule of the reference: result lines whose correctness is missing or null are judged again, and the
 * file is rewritten (atomically) with the answers filled in. Lines whose record is not in this benchmark stay as they
 * are. Returns how many lines were re-judged.
 */
export async function rejudgeMissingCorrectness(
  file: string,
  existing: ResultsFile,
  records: BenchmarkRecord[],
  judge: ModelProvider,
  signal: AbortSignal,
  options: { reference?: boolean; prompts?: PromptSet } = {},
): Promise<number> {
  const pending = existing.results.filter((r) => r.correct === null || r.correct === undefined);
  if (pending.length === 0 && existing.migrated === 0) return 0;
  const byId = new Map(records.map((r) => [r.problem_id, r]));
  let rejudged = 0;
  for (const result of pending) {
    const record = byId.get(result.problem_id);
    const finalAnswer = [...result.conversation].reverse().find((m) => m.role === 'assistant')?.content;
    if (!record || finalAnswer === undefined || signal.aborted) continue;
    // Under --reference-quirks the reference's judge call (temperature 0.7, one reply read its way); a reply it could
    // not use leaves the line as it is, to be tried on the next resume.
    const judgment = await judgeCorrectness(judge, normalizeProblem(record), finalAnswer, {
      signal,
      reference: options.reference === true,
      ...(options.prompts ? { prompts: options.prompts } : {}),
    }).catch((e: unknown) => {
      if (e instanceof ReferenceSkipError) return null;
      throw e;
    });
    if (judgment === null || judgment.correct === null) continue;
    result.correct = judgment.correct;
    result.evaluation.correctness = { justification: judgment.justification, correct: judgment.correct };
    rejudged += 1;
  }
  rewriteJsonLines(file, existing.results);
  return rejudged;
}
