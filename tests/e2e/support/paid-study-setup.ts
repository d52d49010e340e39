import type { Page } from 'playwright-core';
import { openSampleSettings, saveOpenAndInvite, type OpenedStudy } from './live-study-setup.ts';
import type { Credentials } from './researcher-forms.ts';

/**
 * The researcher's side of a paid Prolific study, done in the settings form as a researcher would: consent,
 * instructions and time estimates per role, a screening question, a completion code and a return URL for every way of finishing, the
 * Prolific id check and the out-of-work policy; then the study is opened and an actor and a rater link are made.
 */

export const OUTCOME_KEYS = ['completed', 'failedAttention', 'timedOut', 'screenedOut', 'noWork'] as const;
export type OutcomeKey = (typeof OUTCOME_KEYS)[number];

export interface PaidStudyPlan {
  model: string;
  problemId: string;
  consent: { actor: string; rater: string };
  instructions: { actor: string; rater: string };
  /** The researcher's estimate of each role's time, shown to participants. */
  minutes: { actor: number; rater: number };
  screeningQuestion: string;
  codes: Record<OutcomeKey, string>;
  urls: Record<OutcomeKey, string>;
  raterOverlap: number;
  ratingsPerRater: number;
  outOfWork: 'wait' | 'code';
}

// The form's label of each outcome's code and return URL (texts-section.tsx and prolific-section.tsx).
const CODE_LABELS: Record<OutcomeKey, string> = {
  completed: 'Completed',
  failedAttention: 'Failed attention checks',
  timedOut: 'Timed out',
  screenedOut: 'Code: Screened out',
  noWork: 'Code: No work left',
};
const URL_LABELS: Record<OutcomeKey, string> = {
  completed: 'Completion URL: Completed',
  failedAttention: 'Completion URL: Failed attention checks',
  timedOut: 'Completion URL: Timed out',
  screenedOut: 'Completion URL: Screened out',
  noWork: 'Completion URL: No work left',
};

async function fill(page: Page, label: string, value: string): Promise<void> {
  await page.getByLabel(label, { exact: true }).fill(value);
}

/** Signs in, fills the "Sample benchmark" study's settings from `plan`, saves, opens it and makes the two links. */
export async function setUpPaidStudy(
  page: Page,
  base: string,
  admin: Credentials,
  plan: PaidStudyPlan,
): Promise<OpenedStudy> {
  const studyId = await openSampleSettings(page, base, admin, plan.model);
  await fill(page, 'Max turns', '3');
  await page.getByLabel('Only these problem ids').check();
  // The searchable picker, as a researcher would use it: type part of the id, choose it from the server's matches.
  const picker = page.getByRole('combobox', { name: 'Problem ids' });
  await picker.fill(plan.problemId.slice(0, 12));
  await page.getByRole('option', { name: plan.problemId, exact: true }).click();
  await fill(page, 'Raters per answer (k)', String(plan.raterOverlap));
  await fill(page, 'Ratings per rater', String(plan.ratingsPerRater));

  await fill(page, 'Consent (persona actors)', plan.consent.actor);
  await fill(page, 'Consent for raters', plan.consent.rater);
  await fill(page, 'Instructions for persona actors', plan.instructions.actor);
  await fill(page, 'Instructions for raters', plan.instructions.rater);
  await fill(page, 'Minutes for a persona actor', String(plan.minutes.actor));
  await fill(page, 'Minutes for a rater', String(plan.minutes.rater));
  for (const key of OUTCOME_KEYS) {
    await fill(page, CODE_LABELS[key], plan.codes[key]);
    await fill(page, URL_LABELS[key], plan.urls[key]);
  }
  await fill(page, 'Screening question', plan.screeningQuestion);
  await page.getByLabel(/^Refuse Prolific ids that are not 24 hexadecimal characters/).check();
  await page
    .getByRole('radio', {
      name: plan.outOfWork === 'code' ? /^Ends with the no-work code/ : /^Waits: their page checks again/,
    })
    .check();

  return saveOpenAndInvite(page, base, studyId);
}
