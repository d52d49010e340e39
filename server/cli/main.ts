import { adminCommand } from './admin-command.ts';
import { agreementCommand } from './agreement-command.ts';
import { generateCommand } from './generate-command.ts';
import { importCommand } from './import-command.ts';
import { reportCommand } from './report-command.ts';
import { runCommand } from './run-command.ts';
import { serveCommand } from './serve-command.ts';
import { statsCommand } from './stats-command.ts';
import type { CliIo } from './cli-io.ts';
import { UsageError } from './cli-io.ts';
import { validateCommand } from './validate-command.ts';

export const USAGE = `Usage: prefdisco <command> [options]

Commands:
  validate FILE... [--skip-images] [--json]
      Check benchmark JSONL files (reference PrefDisco format). Exit 0 valid, 1 invalid, 2 usage error.
  import FILE --study NAME [--skip-images] [--db PATH]
      Validate a benchmark file and store its records, personas and rubrics in a study (created if needed).
      All or nothing; importing the same file again changes nothing.
  run BENCH.jsonl --model NAME --judge NAME --out RESULTS.jsonl [options]
      Evaluate a model on a benchmark: baseline (no_prompt), oracle (persona_known) and discovery (infer_persona)
      with a simulated user, judged per rubric criterion and for correctness. Resumable: a rerun skips what is done.
      --simulator NAME        the simulated user's model (default: the judge, as in the reference)
      --modes a,b             no_prompt, persona_known, infer_persona (default: all three)
      --user-types a,b        passive, passive_nostop, collaborative (default: passive_nostop)
      --max-turns N           elicitation turns before the forced final answer (default 5)
      --fixed-questions K     the fixed-K ablation (exactly K questions; infer_persona only)
      --max-problems N        evaluate a seeded sample of N records (--seed, default 42)
      --shard i/n             this process's contiguous share of the records (0 ≤ i < n)
      --concurrency N         episodes at once (default 8)
      --reference-quirks      reproduce the reference's judge bugs (missing score = 1, correctness at temperature 0.7)
      --db PATH | --no-db     where episodes are recorded (default: the app database)
  generate --config TASK.json --model NAME --out DIR [options]
      Make a personalized benchmark from your own dataset (JSONL or CSV in one of the ten source shapes): personas
      (reused, or generated into the library), preferences per (problem, persona), rubrics. Writes
      DIR/personalized_<task>.jsonl (reference format). Resumable: a rerun continues where the last one stopped.
      --sample-size N         problems sampled from the source (overrides the config)
      --personas-per-problem K   personas per problem (overrides the config)
      --seed S                seed of every random choice (same seed + scripted model = same bytes)
      --concurrency N         model calls at once (default 4; does not change the output)
      --max-pairs N           stop after N new records (try a config cheaply; rerun to continue)
      --personas DIR          the persona library (default: the config's personas.dir, else PREFDISCO_PERSONAS_DIR)
      Exit 0 done, 1 some records failed (reasons in DIR/personalized_<task>_failures.jsonl) or bad input, 2 usage,
      3 stopped at the model's spend cap (spendCapUsd in the models file), 130 interrupted. docs/generating-benchmarks.md
  report RESULTS.jsonl... [--json] [--model NAME] [--task NAME] [--resamples 1000] [--seed 42]
      Metrics per model × task × condition with bootstrap 95% CIs. Reads reference result files too.
  stats alpha --level nominal|ordinal|interval|ratio FILE.csv [--json]
  stats kappa [--weights none|linear|quadratic] FILE.csv [--json]
      Krippendorff's alpha or Cohen's kappa from a coders × units CSV (first column the coder name, empty cells
      missing; kappa needs exactly 2 coder rows). Exit 0 with a value, 1 when it is undefined (with the reason),
      2 on usage errors or a malformed file. Formulas: docs/agreement-statistics.md.
  agreement --study NAME_OR_ID [--json] [--db PATH] [--epsilon 0.1] [--resamples 1000] [--seed 42]
      Is the judge like a rater, and the simulated user like a person? Judge vs human ratings, self-ratings,
      disclosure and outcome agreement of live vs simulated play, with the human–human ceiling and bootstrap 95% CIs.
      Computed from the database alone; the same database gives the same report (reportSha256).
  serve
      Start the web app (same as npm start without the client build step).
  admin create --username NAME [--db PATH]
      Create a researcher account. The password (at least 10 characters) is read from PREFDISCO_ADMIN_PASSWORD or
      from stdin (typed without echo on a terminal, or the first line of a pipe); never from an argument.
  help
      Show this text.

Environment: PREFDISCO_DB (database file, default data/prefdisco.sqlite), PREFDISCO_PORT, PREFDISCO_HOST,
PREFDISCO_PERSONAS_DIR, PREFDISCO_MODELS_FILE (declared models, default config/models.json), PREFDISCO_LOG_LEVEL;
security: PREFDISCO_ADMIN_USERNAME + PREFDISCO_ADMIN_PASSWORD (serve creates that first researcher), PREFDISCO_COOKIE_SECRET,
PREFDISCO_SECURE_COOKIES, PREFDISCO_TRUST_PROXY, PREFDISCO_ALLOWED_ORIGINS (docs/security.md).
See README.md.`;

const COMMANDS: Record<string, (args: string[], io: CliIo) => Promise<number>> = {
  validate: validateCommand,
  import: importCommand,
  run: runCommand,
  generate: generateCommand,
  report: reportCommand,
  agreement: agreementCommand,
  serve: serveCommand,
  stats: statsCommand,
  admin: (args, io) => adminCommand(args, io),
};

/** Runs the CLI and returns the exit code. Usage mistakes exit 2 with the reason and the usage text. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    io.out(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version') {
    const { APP_VERSION } = await import('../version.ts');
    io.out(APP_VERSION);
    return 0;
  }
  const run = COMMANDS[command];
  try {
    if (!run) throw new UsageError(`unknown command "${command}"`);
    return await run(rest, io);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`prefdisco: ${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}
