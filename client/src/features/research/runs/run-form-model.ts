import type { Mode } from '../../../../../shared/schemas/evaluation.ts';
import type { StartRunBody } from '../../../../../shared/schemas/research.ts';

export const USER_TYPES = ['passive_nostop', 'passive', 'collaborative'] as const;
export type SimulatedUserType = (typeof USER_TYPES)[number];

export const MODE_LABELS: Record<Mode, string> = {
  no_prompt: 'Baseline',
  persona_known: 'Oracle',
  infer_persona: 'Discovery',
};

export const USER_TYPE_LABELS: Record<SimulatedUserType, string> = {
  passive_nostop: 'passive_nostop',
  passive: 'passive',
  collaborative: 'collaborative',
};

/** The run form as typed; null model fields follow the first usable declared model. */
export interface RunForm {
  model: string | null;
  judge: string | null;
  simulator: string;
  modes: Mode[];
  userTypes: SimulatedUserType[];
  maxProblems: string;
  concurrency: string;
  maxTurns: string;
  seed: string;
  /** Only the records the live study's settings select for play, so batch rows cover what people play. */
  studySelection: boolean;
}

/** The CLI's defaults (`prefdisco run`). */
export const blankForm: RunForm = {
  model: null,
  judge: null,
  simulator: '',
  modes: ['no_prompt', 'persona_known', 'infer_persona'],
  userTypes: ['passive_nostop'],
  maxProblems: '',
  concurrency: '8',
  maxTurns: '5',
  seed: '42',
  studySelection: false,
};

// Text to numbers: NaN stays NaN, so the shared schema names the field; empty optional fields are left out.
/** What to check with StartRunBodySchema: typed text converted, not yet validated. */
export function toBody(f: RunForm & { model: string; judge: string }): Partial<Record<keyof StartRunBody, unknown>> {
  const n = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));
  return {
    model: f.model.trim(),
    judge: f.judge.trim(),
    ...(f.simulator.trim() ? { simulator: f.simulator.trim() } : {}),
    modes: f.modes,
    ...(f.modes.includes('infer_persona') ? { userTypes: f.userTypes } : {}),
    maxProblems: f.maxProblems.trim() === '' ? null : n(f.maxProblems),
    concurrency: n(f.concurrency),
    maxTurns: n(f.maxTurns),
    seed: n(f.seed),
    ...(f.studySelection ? { records: 'study-selection' } : {}),
  };
}
