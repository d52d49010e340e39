import { z } from 'zod';
import type { Mode } from '../../../../../shared/schemas/evaluation.ts';
import { LiveStudySettingsBodySchema, type LiveStudySettingsBody } from '../../../../../shared/schemas/live-study.ts';
import type { ParticipantLanguage } from '../../../../../shared/schemas/participant-language.ts';

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
  /** A pack folder of the server's prompts folder, or '' for the built-in prompts. */
  promptPack: string;
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
  codeScreenedOut: string;
  codeNoWork: string;
  raterConsentText: string;
  actorMinutes: string;
  raterMinutes: string;
  urlCompleted: string;
  urlFailedAttention: string;
  urlTimedOut: string;
  urlScreenedOut: string;
  urlNoWork: string;
  screeningQuestion: string;
  requireProlificIdFormat: boolean;
  outOfWorkPolicy: 'wait' | 'code';
  outOfWorkWaitMinutes: string;
  participantLanguage: ParticipantLanguage;
  retentionDays: string;
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
  promptPack: 'promptPack',
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
  codeScreenedOut: 'completionCodes.screenedOut',
  codeNoWork: 'completionCodes.noWork',
  raterConsentText: 'raterConsentText',
  actorMinutes: 'estimatedMinutes.actor',
  raterMinutes: 'estimatedMinutes.rater',
  urlCompleted: 'completionUrls.completed',
  urlFailedAttention: 'completionUrls.failedAttention',
  urlTimedOut: 'completionUrls.timedOut',
  urlScreenedOut: 'completionUrls.screenedOut',
  urlNoWork: 'completionUrls.noWork',
  screeningQuestion: 'screeningQuestion',
  requireProlificIdFormat: 'requireProlificIdFormat',
  outOfWorkPolicy: 'outOfWork.policy',
  outOfWorkWaitMinutes: 'outOfWork.waitMinutes',
  participantLanguage: 'participantLanguage',
  retentionDays: 'retentionDays',
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
  | 'actorMinutes'
  | 'raterMinutes'
  | 'outOfWorkWaitMinutes'
  | 'retentionDays'
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
    promptPack: s.promptPack,
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
    codeScreenedOut: s.completionCodes.screenedOut,
    codeNoWork: s.completionCodes.noWork,
    raterConsentText: s.raterConsentText,
    actorMinutes: String(s.estimatedMinutes.actor),
    raterMinutes: String(s.estimatedMinutes.rater),
    urlCompleted: s.completionUrls.completed,
    urlFailedAttention: s.completionUrls.failedAttention,
    urlTimedOut: s.completionUrls.timedOut,
    urlScreenedOut: s.completionUrls.screenedOut,
    urlNoWork: s.completionUrls.noWork,
    screeningQuestion: s.screeningQuestion,
    requireProlificIdFormat: s.requireProlificIdFormat,
    outOfWorkPolicy: s.outOfWork.policy,
    outOfWorkWaitMinutes: String(s.outOfWork.waitMinutes),
    participantLanguage: s.participantLanguage,
    retentionDays: String(s.retentionDays),
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
    promptPack: d.promptPack,
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
      screenedOut: d.codeScreenedOut.trim(),
      noWork: d.codeNoWork.trim(),
    },
    raterConsentText: d.raterConsentText,
    estimatedMinutes: { actor: number('actorMinutes'), rater: number('raterMinutes') },
    completionUrls: {
      completed: d.urlCompleted.trim(),
      failedAttention: d.urlFailedAttention.trim(),
      timedOut: d.urlTimedOut.trim(),
      screenedOut: d.urlScreenedOut.trim(),
      noWork: d.urlNoWork.trim(),
    },
    screeningQuestion: d.screeningQuestion.trim(),
    requireProlificIdFormat: d.requireProlificIdFormat,
    outOfWork: { policy: d.outOfWorkPolicy, waitMinutes: number('outOfWorkWaitMinutes') },
    participantLanguage: d.participantLanguage,
    retentionDays: number('retentionDays'),
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
