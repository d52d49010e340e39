import { z } from 'zod';
import type { Mode } from '../../../../../shared/schemas/evaluation.ts';
import { LiveStudySettingsBodySchema, type LiveStudySettingsBody } from '../../../../../shared/schemas/live-study.ts';

/**
 * The settings form's working copy. Numbers are kept as typed text, so a half-typed "0." or an emptied field is not
 * silently turned into a number; they are converted and checked with the shared schema on save.
 */
export interface SettingsDraft {
  models: string[];
  condition: Mode;
  simulatorModel: string;
  judgeModel: string;
  simulatedTwin: boolean;
  showTranscript: boolean;
  recordsKind: 'all' | 'list';
  problemIds: string;
  maxTurns: string;
  raterOverlap: string;
  playsPerRecord: string;
  playsPerActor: string;
  ratingsPerRater: string;
  goldRate: string;
  leaseMinutes: string;
  idleTimeoutSeconds: string;
  idleWarningSeconds: string;
  consentText: string;
  actorInstructions: string;
  raterInstructions: string;
  codeCompleted: string;
  codeFailedAttention: string;
  codeTimedOut: string;
}

export type DraftField = keyof SettingsDraft;
export type FieldErrors = Partial<Record<DraftField, string>>;

/** Where each field lives in the settings body: server and schema issues are matched to fields by these paths. */
const PATHS: Record<DraftField, string> = {
  models: 'models',
  condition: 'condition',
  simulatorModel: 'simulatorModel',
  judgeModel: 'judgeModel',
  simulatedTwin: 'simulatedTwin',
  showTranscript: 'showTranscript',
  recordsKind: 'records.kind',
  problemIds: 'records',
  maxTurns: 'maxTurns',
  raterOverlap: 'raterOverlap',
  playsPerRecord: 'playsPerRecord',
  playsPerActor: 'quotas.playsPerActor',
  ratingsPerRater: 'quotas.ratingsPerRater',
  goldRate: 'goldRate',
  leaseMinutes: 'leaseMinutes',
  idleTimeoutSeconds: 'idleTimeoutSeconds',
  idleWarningSeconds: 'idleWarningSeconds',
  consentText: 'consentText',
  actorInstructions: 'instructions.actor',
  raterInstructions: 'instructions.rater',
  codeCompleted: 'completionCodes.completed',
  codeFailedAttention: 'completionCodes.failedAttention',
  codeTimedOut: 'completionCodes.timedOut',
};

type NumberField = Extract<
  DraftField,
  | 'maxTurns'
  | 'raterOverlap'
  | 'playsPerRecord'
  | 'playsPerActor'
  | 'ratingsPerRater'
  | 'goldRate'
  | 'leaseMinutes'
  | 'idleTimeoutSeconds'
  | 'idleWarningSeconds'
>;

/** The defaults of a study never configured: exactly what the server would store for an empty body. */
export const DEFAULT_SETTINGS: LiveStudySettingsBody = LiveStudySettingsBodySchema.parse({});

export function toDraft(s: LiveStudySettingsBody): SettingsDraft {
  return {
    models: [...s.models],
    condition: s.condition,
    simulatorModel: s.simulatorModel,
    judgeModel: s.judgeModel,
    simulatedTwin: s.simulatedTwin,
    showTranscript: s.showTranscript,
    recordsKind: s.records.kind,
    problemIds: s.records.kind === 'list' ? s.records.problemIds.join('\n') : '',
    maxTurns: String(s.maxTurns),
    raterOverlap: String(s.raterOverlap),
    playsPerRecord: String(s.playsPerRecord),
    playsPerActor: String(s.quotas.playsPerActor),
    ratingsPerRater: String(s.quotas.ratingsPerRater),
    goldRate: String(s.goldRate),
    leaseMinutes: String(s.leaseMinutes),
    idleTimeoutSeconds: String(s.idleTimeoutSeconds),
    idleWarningSeconds: String(s.idleWarningSeconds),
    consentText: s.consentText,
    actorInstructions: s.instructions.actor,
    raterInstructions: s.instructions.rater,
    codeCompleted: s.completionCodes.completed,
    codeFailedAttention: s.completionCodes.failedAttention,
    codeTimedOut: s.completionCodes.timedOut,
  };
}

/** `$.quotas.playsPerActor`, `models[0]` or ['models', 0] → the form field it belongs to. */
export function fieldOf(path: string | readonly PropertyKey[]): DraftField | null {
  const text =
    typeof path === 'string' ? path : path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  const normalized = text
    .replace(/^\$/, '')
    .replace(/\[\d+\]/g, '')
    .replace(/^\./, '');
  let best: DraftField | null = null;
  for (const [field, prefix] of Object.entries(PATHS) as [DraftField, string][]) {
    if ((normalized === prefix || normalized.startsWith(`${prefix}.`)) && (!best || prefix.length > PATHS[best].length))
      best = field;
  }
  return best;
}

export type DraftCheck =
  { ok: true; body: LiveStudySettingsBody } | { ok: false; errors: FieldErrors; other: string[] };

/** Converts and checks the draft with the same schema the server uses; errors come back per field. */
export function checkDraft(d: SettingsDraft): DraftCheck {
  const errors: FieldErrors = {};
  const number = (field: NumberField): number => {
    const value = d[field].trim() === '' ? Number.NaN : Number(d[field]);
    if (!Number.isFinite(value)) errors[field] = 'Enter a number';
    return value;
  };
  const ids = d.problemIds.split(/[\s,]+/).filter((x) => x !== '');
  const body = {
    models: d.models,
    condition: d.condition,
    simulatorModel: d.simulatorModel.trim(),
    judgeModel: d.judgeModel.trim(),
    simulatedTwin: d.simulatedTwin,
    showTranscript: d.showTranscript,
    records: d.recordsKind === 'all' ? { kind: 'all' } : { kind: 'list', problemIds: ids },
    maxTurns: number('maxTurns'),
    raterOverlap: number('raterOverlap'),
    playsPerRecord: number('playsPerRecord'),
    quotas: { playsPerActor: number('playsPerActor'), ratingsPerRater: number('ratingsPerRater') },
    goldRate: number('goldRate'),
    leaseMinutes: number('leaseMinutes'),
    idleTimeoutSeconds: number('idleTimeoutSeconds'),
    idleWarningSeconds: number('idleWarningSeconds'),
    consentText: d.consentText,
    instructions: { actor: d.actorInstructions, rater: d.raterInstructions },
    completionCodes: {
      completed: d.codeCompleted.trim(),
      failedAttention: d.codeFailedAttention.trim(),
      timedOut: d.codeTimedOut.trim(),
    },
  };
  // The schema checks this only once every field parses; saying it at once saves a round of corrections.
  if (body.idleWarningSeconds >= body.idleTimeoutSeconds)
    errors.idleWarningSeconds = 'The warning must come before the idle timeout';
  const parsed = LiveStudySettingsBodySchema.safeParse(body);
  if (parsed.success && Object.keys(errors).length === 0) return { ok: true, body: parsed.data };
  const other: string[] = [];
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const field = fieldOf(issue.path);
    if (field === null) other.push(issueText(issue));
    else errors[field] ??= sentence(issue.message);
  }
  return { ok: false, errors, other };
}

function issueText(issue: z.core.$ZodIssue): string {
  return `${issue.path.join('.') || 'settings'}: ${issue.message}`;
}

export function sentence(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}
