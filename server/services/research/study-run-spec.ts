import type { StoredStudyRun, StudyRecord } from '../../storage/research-storage.ts';
import type { BatchSpec } from '../evaluation/batch-spec.ts';
import { recordsSha256 } from './records-sha256.ts';
import { DEFAULT_CONCURRENCY } from './run-options.ts';

/**
 * The batch spec of a browser-started run over its study's stored records: what the research worker runs on one
 * process (batch-run-job.ts), and what every queue worker plans from to play its chunk of a shared run
 * (services/batch-queue/), so all of them see the same plan in the same order.
 */
export function studyRunSpec(
  run: StoredStudyRun & { outPath: string },
  records: readonly StudyRecord[],
  problemIds: readonly string[] | null,
): BatchSpec & { prepared: NonNullable<BatchSpec['prepared']> } {
  const taskByProblem = new Map(records.map((r) => [r.problemId, r.task]));
  const o = run.options;
  return {
    benchmarkFile: `study:${run.studyId}`,
    prepared: {
      records: records.map((r) => r.record),
      sha256: recordsSha256(records),
      taskOf: (r) => taskByProblem.get(r.problem_id) ?? 'unknown',
    },
    runId: run.id,
    outFile: run.outPath,
    modes: o.modes,
    userTypes: o.userTypes,
    maxTurns: o.maxTurns,
    fixedQuestions: o.fixedQuestions,
    problemIds,
    maxProblems: o.maxProblems,
    seed: o.seed,
    shard: null,
    concurrency: o.concurrency ?? DEFAULT_CONCURRENCY,
    referenceQuirks: false,
    skipImages: true,
  };
}
