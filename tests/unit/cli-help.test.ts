import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allCommands, cliReference, helpOf, REFERENCE_END, REFERENCE_START } from '../../server/cli/cli-reference.ts';
import { runCli as runCliInProcess } from '../../server/cli/main.ts';
import { PROJECT_ROOT } from '../../server/config.ts';
import { APP_VERSION } from '../../server/version.ts';
import { runCli } from '../support/run-cli.ts';

const commands = allCommands();

/** Runs the CLI in-process and keeps what it printed. */
async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCliInProcess(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('every command has --help', () => {
  it('registers the commands of the README, with their subcommands', () => {
    expect(commands.map((c) => c.path.join(' '))).toEqual([
      '',
      'validate',
      'import',
      'run',
      'generate',
      'report',
      'models',
      'models check',
      'prompts',
      'prompts show',
      'stats',
      'stats alpha',
      'stats kappa',
      'agreement',
      'participants',
      'participants export',
      'participants delete',
      'purge',
      'serve',
      'admin',
      'admin create',
      'studies',
      'studies share',
      'backup',
      'restore',
      'worker',
      'migrate-storage',
    ]);
    // the per-command checks below loop over these, so they must not be empty
    expect(commands.reduce((n, c) => n + c.command.options.length, 0)).toBeGreaterThan(40);
  });

  it.each(commands.map((c) => [c.path.join(' ') || '(the program)', c] as const))(
    '%s --help exits 0 and lists every option and argument',
    async (_name, { path, command }) => {
      const { code, text } = await helpOf(path);
      expect(code).toBe(0);
      expect(text).toContain(`Usage: ${['prefdisco', ...path].join(' ')} `);
      for (const option of command.options) expect(text).toContain(option.flags);
      for (const argument of command.registeredArguments) expect(text).toMatch(new RegExp(`\\n  ${argument.name()} `));
      for (const sub of command.commands) expect(text).toMatch(new RegExp(`\\n  ${sub.name()} `));
      expect(text).toContain('-h, --help');
    },
  );

  it('run --help names every option it had before commander, with its default', async () => {
    const { text } = await helpOf(['run']);
    for (const flag of [
      '--model <NAME>',
      '--judge <NAME>',
      '--out <FILE>',
      '--simulator <NAME>',
      '--modes <LIST>',
      '--user-types <LIST>',
      '--fixed-questions <K>',
      '--max-problems <N>',
      '--shard <i/n>',
      '--reference-quirks',
      '--skip-images',
      '--db <PATH>',
      '--no-db',
    ])
      expect(text).toContain(flag);
    expect(text).toMatch(/--max-turns <N> .*\(default: 5\)/);
    expect(text).toMatch(/--seed <S> .*\(default: 42\)/);
    expect(text).toMatch(/--concurrency <N> .*\(default: 8\)/);
  });

  it('the program prints --version, and "help COMMAND" is that command\'s help', async () => {
    expect(await cli('--version')).toMatchObject({ code: 0, out: APP_VERSION });
    const viaHelp = await cli('help', 'generate');
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.out).toBe((await helpOf(['generate'])).text);
  });

  it('the bin prints the help of a subcommand and exits 0 (generate --help used to be "Unknown option")', async () => {
    const r = await runCli(['generate', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: prefdisco generate [options]');
    expect(r.stdout).toContain('--personas-per-problem <K>');
    expect(r.stderr).toBe('');
  }, 20_000);
});

describe('usage mistakes: one line saying what and where, then the usage; exit 2', () => {
  it.each([
    [['validate', '--bogus', 'x.jsonl'], 'prefdisco: unknown option "--bogus"', 'prefdisco validate'],
    [['validate'], 'prefdisco: validate needs at least one FILE: benchmark files to check', 'prefdisco validate'],
    [['import', 'x.jsonl'], 'prefdisco: import needs --study NAME: the study to import into', 'prefdisco import'],
    [['frobnicate'], 'prefdisco: unknown command "frobnicate"', 'prefdisco'],
    [
      ['run', 'b.jsonl', '--model', 'm', '--judge', 'j', '--out', 'o', '--max-turns', '1.5'],
      'prefdisco: --max-turns: expected an integer ≥ 1; got "1.5"',
      'prefdisco run',
    ],
    [
      ['run', 'b.jsonl', '--model', 'm', '--judge', 'j', '--out', 'o', '--shard', '3/3'],
      'prefdisco: --shard: expected i/n with 0 ≤ i < n; got "3/3"',
      'prefdisco run',
    ],
    [
      ['stats', 'alpha', 'x.csv'],
      'prefdisco: stats alpha needs --level: expected one of nominal, ordinal, interval, ratio',
      'prefdisco stats alpha',
    ],
    [
      ['stats', 'kappa', '--weights', 'cubic', 'x.csv'],
      'prefdisco: --weights: expected one of none, linear, quadratic; got "cubic"',
      'prefdisco stats kappa',
    ],
    [['report', '--seed', '1.5', 'r.jsonl'], 'prefdisco: --seed: expected an integer; got "1.5"', 'prefdisco report'],
    [['agreement', '--study', 's', '--resamples', '0'], 'prefdisco: --resamples: ', 'prefdisco agreement'],
    [['serve', 'now'], 'prefdisco: too many arguments for "serve"', 'prefdisco serve'],
  ])('%j', async (argv, line, usage) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    const [first, second] = r.err.split('\n');
    expect(first?.startsWith(line), first).toBe(true);
    expect(second).toMatch(new RegExp(`^Usage: ${usage} `));
  });

  it('no command, or a group without its subcommand, shows the help and exits 2; "help" exits 0', async () => {
    for (const argv of [[], ['stats'], ['admin']]) {
      const r = await cli(...argv);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`Usage: ${['prefdisco', ...argv].join(' ')} [options] [command]`);
    }
    expect((await cli('help')).code).toBe(0);
  });
});

describe("the README's CLI reference is the help", () => {
  it('equals the generated text (run `npm run docs:cli` after changing a command)', async () => {
    const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
    const start = readme.indexOf(REFERENCE_START);
    const end = readme.indexOf(REFERENCE_END);
    expect(start).toBeGreaterThan(-1);
    expect(end).toBeGreaterThan(start);
    expect(readme.slice(start, end + REFERENCE_END.length)).toBe(await cliReference());
  });

  it('lists every option of every command', async () => {
    const reference = await cliReference();
    for (const { command } of commands) for (const option of command.options) expect(reference).toContain(option.flags);
  });
});
