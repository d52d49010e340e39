import { Command, Help, type ErrorOptions, type Option } from 'commander';
import { APP_VERSION } from '../version.ts';
import { registerStudies } from './studies-command.ts';
import { registerAdmin } from './admin-command.ts';
import { registerAgreement } from './agreement-command.ts';
import { registerBackup } from './backup-command.ts';
import type { CliContext } from './cli-io.ts';
import { registerGenerate } from './generate-command.ts';
import { registerImport } from './import-command.ts';
import { registerMigrateStorage } from './migrate-storage-command.ts';
import { registerModels } from './models-command.ts';
import { registerParticipants } from './participants-command.ts';
import { registerPrompts } from './prompts-command.ts';
import { registerPurge } from './purge-command.ts';
import { registerReport } from './report-command.ts';
import { registerRestore } from './restore-command.ts';
import { registerRun } from './run-command.ts';
import { registerServe } from './serve-command.ts';
import { registerStats } from './stats-command.ts';
import { usageErrorText } from './usage-error.ts';
import { registerValidate } from './validate-command.ts';
import { registerWorker } from './worker-command.ts';

/** Help is wrapped at a fixed width, not the terminal's, so it is the same everywhere and the README can quote it. */
const HELP_WIDTH = 100;

const ENVIRONMENT = `
Environment: PREFDISCO_DATABASE_URL (a PostgreSQL database, docs/scaling.md), else PREFDISCO_DB (database
file, default data/prefdisco.sqlite), PREFDISCO_PORT, PREFDISCO_HOST,
PREFDISCO_PERSONAS_DIR, PREFDISCO_MODELS_FILE (declared models, default config/models.json),
PREFDISCO_LOG_LEVEL; security: PREFDISCO_ADMIN_USERNAME + PREFDISCO_ADMIN_PASSWORD (serve creates that
first researcher), PREFDISCO_COOKIE_SECRET, PREFDISCO_SECURE_COOKIES, PREFDISCO_TRUST_PROXY,
PREFDISCO_ALLOWED_ORIGINS (docs/security.md).
Exit codes: 0 ok, 1 findings or failures, 2 usage or input error, 3 spend cap reached (generate),
130 interrupted. "prefdisco <command> --help" shows a command's options. See README.md.`;

/** Every command and subcommand is one of these, so every usage mistake is reported the same way. */
class PrefdiscoCommand extends Command {
  override createCommand(name?: string): Command {
    return new PrefdiscoCommand(name);
  }

  /** Commander's message becomes our line (what, and where), followed by the command's usage. */
  override error(message: string, errorOptions?: ErrorOptions): never {
    return super.error(usageErrorText(this, message, errorOptions?.code).trimEnd(), errorOptions);
  }
}

/**
 * The whole command line. Output goes through `ctx.io`; commander never exits the process (exitOverride turns its
 * exits into thrown CommanderErrors), so tests run commands in-process.
 */
export function buildProgram(ctx: CliContext): Command {
  const program = new PrefdiscoCommand('prefdisco')
    .description('PrefDisco Live: run the PrefDisco benchmark and check its simulated users and judges against people.')
    .version(APP_VERSION, '--version', 'print the version')
    .helpCommand('help [command]', 'show the help of a command')
    .configureHelp({
      helpWidth: HELP_WIDTH,
      optionDescription(this: Help, option: Option): string {
        const text = Help.prototype.optionDescription.call(this, option);
        return option.mandatory ? `${text} (required)` : text;
      },
    })
    .configureOutput({
      writeOut: (text) => ctx.io.out(text.replace(/\n$/, '')),
      writeErr: (text) => ctx.io.err(text.replace(/\n$/, '')),
      outputError: (text, write) => write(text),
    })
    .exitOverride()
    .addHelpText('after', ENVIRONMENT);
  registerValidate(program, ctx);
  registerImport(program, ctx);
  registerRun(program, ctx);
  registerGenerate(program, ctx);
  registerReport(program, ctx);
  registerModels(program, ctx);
  registerPrompts(program, ctx);
  registerStats(program, ctx);
  registerAgreement(program, ctx);
  registerParticipants(program, ctx);
  registerPurge(program, ctx);
  registerServe(program, ctx);
  registerAdmin(program, ctx);
  registerStudies(program, ctx);
  registerBackup(program, ctx);
  registerRestore(program, ctx);
  registerWorker(program, ctx);
  registerMigrateStorage(program, ctx);
  return program;
}
