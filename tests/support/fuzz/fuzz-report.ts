/** What a fuzz run found. Every failure names its seed and case index, so `FUZZ_SEED`-style reruns reproduce it. */
export type FailureKind =
  /** No answer in time, a dropped connection, or an exception that escaped: the server crashed or hung. */
  | 'crash'
  /** An answer outside the contract: a 5xx, a body without the error shape, an ack code outside the closed list. */
  | 'undefined'
  /** A refused request that still changed the database. */
  | 'partial';

export interface FuzzFailure {
  seed: number;
  index: number;
  /** The request or file, and the mutation applied. */
  what: string;
  reason: string;
  kind?: FailureKind;
}

export interface FuzzRun {
  cases: number;
  failures: FuzzFailure[];
  /** Answers by kind (status code, ack code …), to see that cases reach past the guards. */
  outcomes: Record<string, number>;
  ms: number;
}

export function countKind(run: FuzzRun, kind: FailureKind): number {
  return run.failures.filter((f) => (f.kind ?? 'undefined') === kind).length;
}

/** One line per failure, the first `max` of them: what a failed test prints. */
export function describeFailures(run: FuzzRun, max = 20): string[] {
  return run.failures
    .slice(0, max)
    .map((f) => `[seed ${f.seed}, case ${f.index}] ${f.kind ?? 'undefined'}: ${f.what} → ${f.reason}`);
}
