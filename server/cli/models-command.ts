import type { Command } from 'commander';
import { loadConfig, secretFromEnv } from '../config.ts';
import { loadModelConfigs, ModelsConfigError } from '../models/model-registry.ts';
import { checkModels, type CallCheck, type ModelCheck } from '../services/research/model-check.ts';
import type { CliContext, CliIo } from './cli-io.ts';
import { integerAtLeast } from './cli-options.ts';

interface CheckOptions {
  model: string[];
  timeout: number;
  json?: boolean;
}

/** `prefdisco models check`: one tiny streamed and one JSON-mode call per declared model, and what worked. */
export function registerModels(program: Command, ctx: CliContext): void {
  const models = program.command('models').summary('declared models').description('The models of config/models.json.');
  models
    .command('check')
    .summary('call each declared model once streamed and once in JSON mode')
    .description(
      'Call each declared model (or those named with --model) once streamed and once in JSON mode, without retries, ' +
        'and report what works, the latency and the cost. The offline "scripted" model makes no calls and is not checked. ' +
        'Exit 0 all work, 1 some failed, 2 usage error (unknown model, invalid models file).',
    )
    .option(
      '--model <NAME>',
      'check only this model (repeatable)',
      (value: string, all: string[]) => [...all, value],
      [],
    )
    .option(
      '--timeout <SECONDS>',
      'per-call timeout (the models file’s own timeout wins when shorter)',
      integerAtLeast(1),
      30,
    )
    .option('--json', 'print the checks as JSON')
    .action(async (options: CheckOptions) => ctx.exit(await check(options, ctx.io)));
}

async function check(options: CheckOptions, io: CliIo): Promise<number> {
  const config = loadConfig();
  let declared;
  try {
    declared = loadModelConfigs(config.modelsFile);
  } catch (error) {
    if (!(error instanceof ModelsConfigError)) throw error;
    io.err(`prefdisco models check: ${error.message}`);
    return 2;
  }
  const unknown = options.model.filter((name) => !declared.some((m) => m.name === name));
  if (unknown.length > 0) {
    io.err(
      `prefdisco models check: unknown model ${unknown.map((n) => `"${n}"`).join(', ')}; ` +
        `declared in ${config.modelsFile}: ${declared.map((m) => m.name).join(', ')}`,
    );
    return 2;
  }
  // The offline test model makes no HTTP call and answers only the engine's structured hints: nothing to check.
  const named = options.model.length > 0 ? declared.filter((m) => options.model.includes(m.name)) : declared;
  const chosen = named.filter((m) => m.provider !== 'scripted');
  if (options.model.includes('scripted'))
    io.out('scripted: the offline test model, always available; it makes no HTTP calls, so there is nothing to check');
  if (chosen.length === 0) {
    if (options.model.length === 0)
      io.out(`no models to check: ${config.modelsFile} declares none besides the offline "scripted" model`);
    return 0;
  }
  const checks = await checkModels(chosen, (v) => secretFromEnv(v), { timeoutMs: options.timeout * 1000 });
  if (options.json) io.out(JSON.stringify(checks, null, 2));
  else for (const line of describeChecks(checks)) io.out(line);
  return checks.every((c) => c.ok) ? 0 : 1;
}

const ms = (value: number | null): string => (value === null ? '—' : `${Math.round(value)} ms`);

function callLine(label: string, call: CallCheck): string {
  if (!call.ok) return `  ${label}: FAILED (${call.error}) after ${ms(call.totalMs)}: ${call.message ?? ''}`;
  const cost = call.costUsd === null ? 'no price configured' : `$${call.costUsd.toFixed(6)}`;
  const first = call.firstChunkMs === null ? '' : `first text after ${ms(call.firstChunkMs)}, `;
  return (
    `  ${label}: ok, ${first}done after ${ms(call.totalMs)}; ${call.inputTokens} in / ${call.outputTokens} out tokens, ` +
    `${cost}; replied "${call.replyStart}"`
  );
}

function describeChecks(checks: readonly ModelCheck[]): string[] {
  const lines: string[] = [];
  for (const c of checks) {
    lines.push(`${c.name} (${c.provider}, ${c.model}): ${c.ok ? 'works' : 'does NOT work'}`);
    if (c.setupError) lines.push(`  not set up: ${c.setupError}`);
    if (c.streamed) lines.push(callLine('streamed', c.streamed));
    if (c.json) lines.push(callLine('JSON mode', c.json));
  }
  const failed = checks.filter((c) => !c.ok).length;
  lines.push(failed === 0 ? `all ${checks.length} models work` : `${failed} of ${checks.length} models do not work`);
  return lines;
}
