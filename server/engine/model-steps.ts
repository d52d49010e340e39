import type { NormalizedProblem } from '../../shared/schemas/problem.ts';
import type { BenchmarkRecord } from '../../shared/schemas/benchmark.ts';
import type { Criterion } from '../../shared/schemas/rubric.ts';
import type { UserType } from '../../shared/schemas/evaluation.ts';
import type { Preference } from '../../shared/schemas/preference.ts';
import type { ModelProvider } from '../models/model-provider.ts';
import { ThreadedProvider } from '../models/threaded/threaded-models.ts';
import type { StepPriority } from '../models/threaded/model-thread-protocol.ts';
import { judgeCorrectness, type CorrectnessJudgment } from './correctness-judge.ts';
import { labelDisclosure, type DisclosureLabel } from './disclosure-labeler.ts';
import type { PromptSet } from './prompt-library.ts';
import { judgeCriterion, type CriterionJudgment, type JudgedRecord } from './rubric-judge.ts';
import type { Exchange, UserReply } from './seats.ts';
import { SimulatedUserSeat } from './simulated-user-seat.ts';

/**
 * The steps of an episode that are one model's work from plain input to a parsed result, serving the research rather
 * than the person: a turn's disclosure label, a criterion's score, the correctness judgment, and the simulated user's
 * reply (a live episode's twin reply). Each takes plain data (structured-clone safe) and returns plain data.
 *
 * Where the provider is a proxy to the model-call thread (ThreadedProvider: a served process's live loop), the whole
 * step runs on that thread — the prompt rendered, the model called, its reply parsed and checked — and the loop gets
 * only the result. Why: rendering the prompts and parsing the replies of the live episodes' labels, twin replies and
 * judges was work on the person's loop for research the person never waits for. Anywhere else (batch runs in the
 * research worker, the CLI, tests) the step runs in place, as before. Either way it is the same engine function.
 */

export interface LabelInput {
  preferences: Record<string, Preference>;
  assistantMessage: string;
  userMessage: string;
  prompts?: PromptSet;
}

export interface CriterionInput {
  /**
   * Only what the judge reads: a step's input is copied to the thread, and a whole record is about twice as large (4.5
   * against 2.1 KB of JSON for the reference example).
   */
  record: JudgedRecord;
  criterion: Criterion;
  response: string;
  reference: boolean;
  prompts?: PromptSet;
}

export interface CorrectnessInput {
  problem: NormalizedProblem;
  response: string;
  reference: boolean;
  prompts?: PromptSet;
}

export interface SimulateInput {
  record: Pick<BenchmarkRecord, 'persona' | 'persona_preferences'>;
  userType: Exclude<UserType, 'no_user_interaction'>;
  turn: number;
  assistantMessage: string;
  history: Exchange[];
  prompts?: PromptSet;
  /**
   * The persona profile, rendered by the caller (`personaProfile`). Why: the caller holds the record storage read, so
   * its render is cached per record and prints the whole numbers the line wrote as floats (`4.0`), which a copy of the
   * record to the thread does not carry; a step rendering it from each copy spent 6.5% of the model-call thread's time
   * at 1,000 live persons.
   */
  profile: string;
}

/** Each step's input and result. */
export interface ModelSteps {
  label: { input: LabelInput; result: DisclosureLabel };
  criterion: { input: CriterionInput; result: CriterionJudgment };
  correctness: { input: CorrectnessInput; result: CorrectnessJudgment };
  simulate: { input: SimulateInput; result: UserReply };
}

export type ModelStepName = keyof ModelSteps;

type StepHere<N extends ModelStepName> = (
  provider: ModelProvider,
  input: ModelSteps[N]['input'],
  signal?: AbortSignal,
) => Promise<ModelSteps[N]['result']>;

const HERE: { [N in ModelStepName]: StepHere<N> } = {
  label: (labeler, input, signal) =>
    labelDisclosure(
      labeler,
      input.preferences,
      { assistantMessage: input.assistantMessage, userMessage: input.userMessage },
      signal,
      input.prompts,
    ),
  criterion: (judge, input, signal) =>
    judgeCriterion(judge, input.record, input.criterion, input.response, {
      reference: input.reference,
      ...(signal ? { signal } : {}),
      ...(input.prompts ? { prompts: input.prompts } : {}),
    }),
  correctness: (judge, input, signal) =>
    judgeCorrectness(judge, input.problem, input.response, {
      reference: input.reference,
      ...(signal ? { signal } : {}),
      ...(input.prompts ? { prompts: input.prompts } : {}),
    }),
  simulate: (simulator, input, signal) =>
    new SimulatedUserSeat(simulator, input.record, input.userType, {
      ...(input.prompts ? { prompts: input.prompts } : {}),
      profile: input.profile,
    }).reply({
      turn: input.turn,
      assistantMessage: input.assistantMessage,
      history: input.history,
      signal: signal ?? new AbortController().signal,
    }),
};

export function isModelStepName(name: string): name is ModelStepName {
  return Object.hasOwn(HERE, name);
}

/** Runs the step on this thread with `provider` (what the model-call thread does with a step the loop posted). */
export function runModelStepHere<N extends ModelStepName>(
  name: N,
  provider: ModelProvider,
  input: ModelSteps[N]['input'],
  signal?: AbortSignal,
): Promise<ModelSteps[N]['result']> {
  const step: StepHere<N> = HERE[name];
  return step(provider, input, signal);
}

/**
 * Runs the step where the provider's calls run: on the model-call thread for a ThreadedProvider, else here. Under
 * `--reference-quirks` a step always runs here: its unusable replies throw ReferenceSkipError, which must keep its
 * class (a thread's failure crosses as a ModelCallError or a plain Error); live play, the only user of the thread,
 * never runs with the quirks.
 */
export function runModelStep<N extends ModelStepName>(
  name: N,
  provider: ModelProvider,
  input: ModelSteps[N]['input'],
  signal?: AbortSignal,
  /** On the thread, research steps wait behind the person's calls (StepPriority); in place, steps run as called. */
  priority: StepPriority = 'person',
): Promise<ModelSteps[N]['result']> {
  const reference = 'reference' in input && input.reference;
  if (provider instanceof ThreadedProvider && !reference)
    // The thread ran the same function on the same input: its result has this step's shape.
    return provider.step(name, withoutOurPrompts(input), signal, priority) as Promise<ModelSteps[N]['result']>;
  return runModelStepHere(name, provider, input, signal);
}

/**
 * The input as it crosses to the thread: our own prompts are the thread's too (the same files, loaded there), so only
 * a study's prompt pack is sent with it. Why: every live step carries its episode's prompt set, and copying our dozen
 * templates with each of an episode's twenty-odd steps was most of what a step's message weighed.
 */
function withoutOurPrompts<I extends { prompts?: PromptSet }>(input: I): I {
  if (input.prompts?.pack !== null) return input;
  const copy = { ...input };
  delete copy.prompts;
  return copy;
}
