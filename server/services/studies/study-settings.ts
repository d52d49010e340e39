import { AppError, type ErrorIssue } from '../../../shared/errors.ts';
import {
  LiveStudySettingsSchema,
  type LiveStudySettings,
  type LiveStudySettingsBody,
  type StudyStatus,
} from '../../../shared/schemas/live-study.ts';
import type { Storage } from '../../storage/storage.ts';
import type { PlayUnitRef } from '../../storage/study-work-storage.ts';
import type { StudyPromptPacks } from './study-prompt-packs.ts';

export interface SettingsDeps {
  storage: Storage;
  /** Whether a model name is declared (config/models.json, plus the built-in `scripted`). */
  isDeclaredModel: (name: string) => boolean;
  /** The server's prompt packs; without them a study may only use the built-in prompts. */
  promptPacks?: Pick<StudyPromptPacks, 'load'>;
  now: () => Date;
}

export type StudyTransition = 'open' | 'pause' | 'close';

/** Which statuses each transition may start from; the target status itself is accepted as a no-op. */
const TRANSITIONS: Record<StudyTransition, { to: StudyStatus; from: StudyStatus[] }> = {
  open: { to: 'open', from: ['draft', 'paused'] },
  pause: { to: 'paused', from: ['open'] },
  close: { to: 'closed', from: ['draft', 'open', 'paused'] },
};

export async function requireStudy(storage: Storage, studyId: string): Promise<void> {
  if (!(await storage.getStudy(studyId))) throw new AppError('not_found', 'no such study');
}

export async function getSettings(deps: SettingsDeps, studyId: string): Promise<LiveStudySettings | null> {
  await requireStudy(deps.storage, studyId);
  return deps.storage.work.getSettings(studyId);
}

/** The study's prompt pack, read and checked whole as live episodes will load it: its problems, each at `$.promptPack`. */
function promptPackIssues(deps: SettingsDeps, folder: string): ErrorIssue[] {
  if (folder === '') return [];
  if (!deps.promptPacks) return [{ path: '$.promptPack', message: 'this server offers no prompt packs' }];
  try {
    deps.promptPacks.load(folder);
    return [];
  } catch (error) {
    if (error instanceof AppError && error.issues) return error.issues;
    throw error;
  }
}

/**
 * Models must be declared, listed records must be the study's and the prompt pack usable; returns the selected
 * problem ids in order.
 */
async function validate(deps: SettingsDeps, studyId: string, s: LiveStudySettingsBody): Promise<string[]> {
  const issues: ErrorIssue[] = [];
  s.models.forEach((m, i) => {
    if (!deps.isDeclaredModel(m)) issues.push({ path: `$.models[${i}]`, message: `model "${m}" is not declared` });
  });
  for (const key of ['simulatorModel', 'judgeModel'] as const) {
    if (!deps.isDeclaredModel(s[key])) issues.push({ path: `$.${key}`, message: `model "${s[key]}" is not declared` });
  }
  const all = await deps.storage.work.listProblemIds(studyId);
  let selected = all;
  if (s.records.kind === 'list') {
    const known = new Set(all);
    s.records.problemIds.forEach((id, i) => {
      if (!known.has(id))
        issues.push({ path: `$.records.problemIds[${i}]`, message: `"${id}" is not a record of this study` });
    });
    selected = [...new Set(s.records.problemIds)];
  }
  issues.push(...promptPackIssues(deps, s.promptPack));
  if (issues.length > 0) throw new AppError('invalid_payload', 'the settings are not valid', { issues });
  return selected;
}

/**
 * Creates or replaces a study's settings. Allowed while the study is a draft or paused: changing what is played or
 * rated under people's feet while it is open would strand their assignments.
 */
export async function saveSettings(
  deps: SettingsDeps,
  studyId: string,
  body: LiveStudySettingsBody,
): Promise<LiveStudySettings> {
  await requireStudy(deps.storage, studyId);
  const current = await deps.storage.work.getSettings(studyId);
  if (current?.status === 'closed') throw new AppError('study_closed', 'the study is closed');
  if (current?.status === 'open') throw new AppError('conflict', 'pause the study before changing its settings');
  await validate(deps, studyId, body);
  const settings = LiveStudySettingsSchema.parse({ ...body, status: current?.status ?? 'draft' });
  await deps.storage.work.saveSettings(studyId, settings, deps.now());
  return settings;
}

/** One unit per (selected record, model under test), records in import order; none for rating-only conditions. */
function playUnits(settings: LiveStudySettings, problemIds: string[]): PlayUnitRef[] {
  if (settings.condition !== 'infer_persona') return [];
  return problemIds.flatMap((problemId) => settings.models.map((model) => ({ problemId, model })));
}

/** open (generating play units), pause, close. Closed is final. */
export async function transition(
  deps: SettingsDeps,
  studyId: string,
  action: StudyTransition,
): Promise<LiveStudySettings> {
  await requireStudy(deps.storage, studyId);
  const current = await deps.storage.work.getSettings(studyId);
  if (!current) throw new AppError('not_found', 'save the study settings first');
  const { to, from } = TRANSITIONS[action];
  if (current.status === to) return current;
  if (current.status === 'closed') throw new AppError('study_closed', 'the study is closed');
  if (!from.includes(current.status)) throw new AppError('conflict', `a ${current.status} study cannot ${action}`);
  const next = { ...current, status: to };
  if (action !== 'open') {
    await deps.storage.work.saveSettings(studyId, next, deps.now());
    return next;
  }
  // Declared models can change between saving and opening (config edits), so opening checks again.
  const { status: _status, ...body } = current;
  const selected = await validate(deps, studyId, body);
  if (selected.length === 0) throw new AppError('invalid_payload', 'the study has no records to open with');
  if (current.condition === 'infer_persona' && current.models.length === 0) {
    throw new AppError('invalid_payload', 'list at least one model under test', {
      issues: [{ path: '$.models', message: 'must not be empty' }],
    });
  }
  await deps.storage.work.saveSettings(studyId, next, deps.now(), playUnits(next, selected));
  return next;
}
