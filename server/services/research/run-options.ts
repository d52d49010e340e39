import { MODES } from '../../../shared/schemas/evaluation.ts';
import type { RunOptions, StartRunBody } from '../../../shared/schemas/research.ts';
import { DEFAULT_MAX_TURNS } from '../../engine/episode-runner.ts';
import { MeteredProvider } from '../../models/metered-provider.ts';
import type { ModelProvider } from '../../models/model-provider.ts';
import type { EvaluationModels } from '../evaluation/episode-setup.ts';
import { AppError } from '../../../shared/errors.ts';

/** The declared models (ModelRegistry fits): names for messages, providers shared app-wide. */
export interface ModelLookup {
  names(): string[];
  /** Throws when the model cannot be used (e.g. its API key is not set); the message is written for people. */
  get(name: string): ModelProvider;
}

export const DEFAULT_CONCURRENCY = 8;

/** The CLI's defaults (`prefdisco run`), so a run started in the browser means the same as the same command. */
export function runOptions(body: StartRunBody): RunOptions {
  const fixedQuestions = body.fixedQuestions ?? null;
  return {
    model: body.model,
    judge: body.judge,
    simulator: body.simulator ?? body.judge,
    modes: body.modes ? [...new Set(body.modes)] : fixedQuestions === null ? [...MODES] : ['infer_persona'],
    userTypes: body.userTypes ? [...new Set(body.userTypes)] : ['passive_nostop'],
    maxTurns: body.maxTurns ?? DEFAULT_MAX_TURNS,
    fixedQuestions,
    maxProblems: body.maxProblems ?? null,
    seed: body.seed ?? 42,
    records: body.records ?? 'all',
  };
}

/**
 * Two runs with the same key produce the same episodes, so the later one may resume from the earlier's results. A run
 * limited to the study's selection carries the selection's hash: after the selection changes, it starts afresh.
 */
export function optionsKey(o: RunOptions & { selection?: { sha256: string } | undefined }): string {
  // Runs drawing from all records keep the key they had before the option existed, so they still resume each other.
  const limited = o.records === 'study-selection' ? [['study-selection', o.selection?.sha256 ?? null]] : [];
  return JSON.stringify([
    o.model,
    o.judge,
    o.simulator,
    [...o.modes].sort(),
    [...o.userTypes].sort(),
    o.maxTurns,
    o.fixedQuestions,
    o.maxProblems,
    o.seed,
    ...limited,
  ]);
}

export interface MeteredModels extends EvaluationModels {
  assistant: MeteredProvider;
  judge: MeteredProvider;
  simulator: MeteredProvider;
}

/**
 * The run's models, each metered on its own so the run's tokens and cost are its own while the providers (and their
 * concurrency limits and spend caps) stay shared with the rest of the app.
 */
export function runModels(models: ModelLookup, o: RunOptions): MeteredModels {
  const declared = models.names();
  const unknown = [o.model, o.judge, o.simulator].filter((name) => !declared.includes(name));
  if (unknown.length > 0) {
    const name = unknown[0] as string;
    throw new AppError('unknown_model', `unknown model "${name}"; declared models: ${declared.join(', ')}`, {
      details: { model: name, declared },
    });
  }
  const get = (name: string): MeteredProvider => {
    try {
      return new MeteredProvider(models.get(name));
    } catch {
      // The registry refuses a declared model only for missing configuration (its API key); its text is not passed on.
      throw new AppError(
        'model_unavailable',
        `model "${name}" is declared but cannot be used on this server (is its API key set?)`,
        { details: { model: name } },
      );
    }
  };
  return { assistant: get(o.model), judge: get(o.judge), simulator: get(o.simulator) };
}
