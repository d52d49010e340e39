import { Option, type Command } from 'commander';
import { normalizeProblem } from '../../shared/benchmark/normalize-problem.ts';
import { MODES, USER_TYPES, type Mode, type UserType } from '../../shared/schemas/evaluation.ts';
import { loadConfig } from '../config.ts';
import { correctnessJudgeMessages } from '../engine/correctness-judge.ts';
import { disclosureLabelerPrompt } from '../engine/disclosure-labeler.ts';
import { openingMessage } from '../engine/opening-message.ts';
import { personaProfile } from '../engine/persona-profile.ts';
import { renderPrompt, type PromptName, type PromptSet } from '../engine/prompt-library.ts';
import { roleOf } from '../engine/prompt-pack-roles.ts';
import { rubricJudgeMessages } from '../engine/rubric-judge.ts';
import { renderChatHistory, simulatedUserPrompt } from '../engine/simulated-user-seat.ts';
import { encloseUntrusted } from '../engine/untrusted-text.ts';
import { validateBenchmarkFile } from '../services/benchmark/validate-benchmark-file.ts';
import type { CliContext, CliIo } from './cli-io.ts';
import { integerAtLeast } from './cli-options.ts';
import { promptsOption, readPromptsOption } from './prompts-option.ts';

const SIMULATED_USER_TYPES = USER_TYPES.filter((u) => u !== 'no_user_interaction');
type SimulatedUserType = Exclude<UserType, 'no_user_interaction'>;

/** What stands in for conversation text the episode has not produced yet; marked so nobody takes it for a prompt's. */
export const PLACEHOLDER = {
  finalAnswer: "[PLACEHOLDER: the model's final answer goes here]",
  question: "[PLACEHOLDER: the assistant's latest message goes here]",
  reply: "[PLACEHOLDER: the user's reply goes here]",
} as const;

/**
 * The tags' code in the output is derived under a fixed key, so two runs of the command print the same bytes and a
 * diff shows only the prompts' differences. A run derives its codes under a key drawn at process start.
 */
const SHOW_KEY = Buffer.alloc(32);

interface ShowOptions {
  record: string;
  mode: Mode;
  userType?: SimulatedUserType;
  fixedQuestions?: number;
  prompts?: string;
  benchmark?: string;
}

export function registerPrompts(program: Command, ctx: CliContext): void {
  const prompts = program
    .command('prompts')
    .summary('show the prompts of an episode')
    .description('Inspect the prompts the engine sends (docs/prompt-packs.md).');
  prompts
    .command('show')
    .summary('print every rendered prompt of one episode')
    .description(
      'Print every prompt one episode would send, rendered for one record: the assistant system prompt for the mode, ' +
        "the opening message, the simulated user's prompt with the persona profile, the final prompt, the " +
        'disclosure labeler and the judge prompts, each with its role, file and SHA-256. Text the episode has not ' +
        'produced yet (answers, replies) is a marked placeholder. Diff the output with --prompts and without to ' +
        'compare a prompt pack with ours. Exit 0 printed, 2 usage or input error.',
    )
    .requiredOption('--record <ID>', 'the problem_id of the record')
    .addOption(new Option('--mode <M>', MODES.join(', ')).choices(MODES).makeOptionMandatory())
    .addOption(
      new Option('--user-type <U>', `the simulated user for infer_persona (default: passive_nostop)`).choices(
        SIMULATED_USER_TYPES,
      ),
    )
    .option('--fixed-questions <K>', 'the fixed-K ablation (infer_persona only)', integerAtLeast(1))
    .addOption(promptsOption())
    .option('--benchmark <FILE>', 'benchmark JSONL file (default: the sample, data/sample-benchmark.jsonl)')
    .action(async (options: ShowOptions) => ctx.exit(await show(options, ctx.io)));
}

function section(io: CliIo, set: PromptSet, title: string, name: PromptName | null, text: string): void {
  const template = name === null ? null : set.templates[name];
  const source =
    template === null ? 'built by code, no prompt file' : `role ${roleOf(template.name)}, ${template.file}`;
  const hash = template === null ? '' : `\nsha256 ${template.sha256}`;
  io.out(`===== ${title} (${source})${hash}\n${text}\n`);
}

async function show(options: ShowOptions, io: CliIo): Promise<number> {
  if (options.mode !== 'infer_persona' && (options.userType !== undefined || options.fixedQuestions !== undefined)) {
    io.err('prefdisco prompts show: --user-type and --fixed-questions apply to --mode infer_persona only');
    return 2;
  }
  const set = readPromptsOption(options.prompts, 'prompts show', io);
  if (set === null) return 2;
  const file = options.benchmark ?? loadConfig().sampleFile;
  const report = await validateBenchmarkFile(file, {
    collect: true,
    skipImages: true,
    tolerant: true,
    profileFloats: true,
  });
  const index = report.records.findIndex((r) => r.problem_id === options.record);
  const record = report.records[index];
  if (!record) {
    const skipped = report.skipped.find((s) => s.problemId === options.record);
    io.err(
      skipped
        ? `prefdisco prompts show: ${file}:${skipped.line}: record ${options.record} cannot be run: ${skipped.reasons.join('; ')}`
        : `prefdisco prompts show: no record with problem_id "${options.record}" in ${file}`,
    );
    return 2;
  }
  const problem = normalizeProblem(record);
  const floats = report.recordFloats[index];
  const profile = personaProfile(record, floats ? { integralFloats: floats } : {});
  const enclose = (label: Parameters<typeof encloseUntrusted>[0], text: string): string =>
    encloseUntrusted(label, text, SHOW_KEY).block;
  const userType = options.userType ?? 'passive_nostop';
  const fixed = options.fixedQuestions ?? null;

  io.out(
    `record ${record.problem_id} from ${file}; mode ${options.mode}` +
      (options.mode === 'infer_persona' ? `, user type ${userType}${fixed === null ? '' : `, fixed-K ${fixed}`}` : '') +
      `; prompts: ${set.pack ? `pack ${set.pack.name} (sha256 ${set.pack.sha256})` : 'ours'}\n`,
  );
  if (options.mode === 'no_prompt') {
    io.out('===== assistant system prompt: none (the generic baseline is asked without one)\n');
  } else if (options.mode === 'persona_known') {
    const text = renderPrompt('oracleSystem', { persona_profile: profile }, set);
    section(io, set, 'assistant system prompt', 'oracleSystem', text);
  } else if (fixed === null) {
    section(io, set, 'assistant system prompt', 'discoverySystem', renderPrompt('discoverySystem', {}, set));
  } else {
    const text = renderPrompt('fixedQuestionsSystem', { num_questions: fixed, turn: 0 }, set);
    section(io, set, 'assistant system prompt, turn 0', 'fixedQuestionsSystem', text);
  }
  section(io, set, 'opening message (user)', null, openingMessage(problem));
  if (options.mode === 'infer_persona') {
    const history = enclose('CONVERSATION', renderChatHistory([], PLACEHOLDER.question));
    const name = (
      { passive: 'userPassive', passive_nostop: 'userPassiveNostop', collaborative: 'userCollaborative' } as const
    )[userType];
    section(io, set, 'simulated user prompt, first turn', name, simulatedUserPrompt(userType, profile, history, set));
    section(
      io,
      set,
      'disclosure labeler prompt',
      'disclosureLabeler',
      disclosureLabelerPrompt(
        record.persona_preferences,
        enclose('ASSISTANT_MESSAGE', PLACEHOLDER.question),
        enclose('USER_REPLY', PLACEHOLDER.reply),
        set,
      ),
    );
    section(io, set, 'final prompt (user)', 'finalPrompt', renderPrompt('finalPrompt', {}, set));
    if (fixed !== null) {
      const text = renderPrompt('discoverySystem', {}, set);
      section(io, set, 'assistant system prompt for the final answer', 'discoverySystem', text);
    }
  }
  const answer = enclose('RESPONSE', PLACEHOLDER.finalAnswer);
  // The system prompt is the same for every criterion: shown once, before the first criterion's prompt.
  record.evaluation_rubric.evaluation_criteria.forEach((criterion, i) => {
    const [system, user] = rubricJudgeMessages(record, criterion, answer, set);
    if (i === 0) section(io, set, 'rubric judge system prompt', 'rubricJudgeSystem', system.content);
    section(io, set, `rubric judge prompt, criterion "${criterion.preference}"`, 'rubricJudgeUser', user.content);
  });
  const [system, user] = correctnessJudgeMessages(problem, answer, set);
  section(io, set, 'correctness judge system prompt', 'correctnessJudgeSystem', system.content);
  section(io, set, 'correctness judge prompt', 'correctnessJudgeUser', user.content);
  return 0;
}
