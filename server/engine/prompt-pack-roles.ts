import type { PromptName } from './prompt-library.ts';

/**
 * The roles a prompt pack may fill (docs/prompt-packs.md): the name a manifest uses, the prompt it replaces, the
 * placeholders the engine fills for it, and those it cannot do without. A placeholder the engine does not fill would
 * go out as a hole, so a pack using one is refused; a required one missing would send a prompt without the data its
 * role exists to see (a judge without the answer), so that is refused too.
 */
export interface PromptRole {
  prompt: PromptName;
  placeholders: readonly string[];
  required: readonly string[];
}

const USER_PLACEHOLDERS = ['persona_profile', 'chat_history', 'terminal_signal', 'stop_signal'] as const;
const USER_REQUIRED = ['persona_profile', 'chat_history'] as const;

export const PROMPT_ROLES = {
  'discovery-system': { prompt: 'discoverySystem', placeholders: [], required: [] },
  'fixed-questions-system': {
    prompt: 'fixedQuestionsSystem',
    placeholders: ['num_questions', 'turn'],
    required: ['num_questions'],
  },
  'oracle-system': { prompt: 'oracleSystem', placeholders: ['persona_profile'], required: ['persona_profile'] },
  'final-prompt': { prompt: 'finalPrompt', placeholders: [], required: [] },
  'user-passive': { prompt: 'userPassive', placeholders: USER_PLACEHOLDERS, required: USER_REQUIRED },
  'user-passive-nostop': { prompt: 'userPassiveNostop', placeholders: USER_PLACEHOLDERS, required: USER_REQUIRED },
  'user-collaborative': { prompt: 'userCollaborative', placeholders: USER_PLACEHOLDERS, required: USER_REQUIRED },
  'rubric-judge-system': { prompt: 'rubricJudgeSystem', placeholders: [], required: [] },
  'rubric-judge-user': {
    prompt: 'rubricJudgeUser',
    placeholders: [
      'criterion_name',
      'criterion_description',
      'levels_json',
      'response',
      'preference_value',
      'preference_justification',
    ],
    required: ['criterion_name', 'response'],
  },
  'correctness-judge-system': { prompt: 'correctnessJudgeSystem', placeholders: [], required: [] },
  'correctness-judge-user': {
    prompt: 'correctnessJudgeUser',
    placeholders: ['question', 'options', 'answer', 'response'],
    required: ['answer', 'response'],
  },
  'disclosure-labeler': {
    prompt: 'disclosureLabeler',
    placeholders: ['preference_list', 'assistant_message', 'user_message'],
    required: ['preference_list', 'assistant_message', 'user_message'],
  },
} as const satisfies Record<string, PromptRole>;

export type PromptRoleName = keyof typeof PROMPT_ROLES;

export const PROMPT_ROLE_NAMES = Object.keys(PROMPT_ROLES) as PromptRoleName[];

export function isPromptRole(name: string): name is PromptRoleName {
  return Object.hasOwn(PROMPT_ROLES, name);
}

/** The role a prompt is filed under in a pack. */
export function roleOf(prompt: PromptName): PromptRoleName {
  const role = PROMPT_ROLE_NAMES.find((r) => PROMPT_ROLES[r].prompt === prompt);
  if (!role) throw new Error(`no pack role for prompt ${prompt}`);
  return role;
}
