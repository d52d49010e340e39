import type { DraftField, FieldErrors } from './settings-draft.ts';

/**
 * The settings fields in the order the form shows them (models, records and timing, texts, Prolific). A test checks
 * that every draft field is listed once, so a new field cannot be forgotten here.
 */
export const FORM_ORDER: readonly DraftField[] = [
  'models',
  'condition',
  'maxTurns',
  'simulatorModel',
  'judgeModel',
  'promptPack',
  'simulatedTwin',
  'recordsKind',
  'problemIds',
  'playsPerRecord',
  'playsPerActor',
  'raterOverlap',
  'ratingsPerRater',
  'goldRate',
  'leaseMinutes',
  'idleTimeoutSeconds',
  'idleWarningSeconds',
  'showTranscript',
  'participantLanguage',
  'consentText',

  'raterConsentText',
  'actorInstructions',
  'raterInstructions',
  'actorMinutes',
  'raterMinutes',
  'codeCompleted',
  'codeFailedAttention',
  'codeTimedOut',
  'codeScreenedOut',
  'codeNoWork',
  'urlCompleted',
  'urlFailedAttention',
  'urlTimedOut',
  'urlScreenedOut',
  'urlNoWork',
  'screeningQuestion',
  'requireProlificIdFormat',
  'outOfWorkPolicy',
  'outOfWorkWaitMinutes',
  'retentionDays',
];

/** The fields with errors, in form order: the first is where a failed save sends the researcher. */
export function invalidInFormOrder(errors: FieldErrors): { field: DraftField; message: string }[] {
  return FORM_ORDER.flatMap((field) => {
    const message = errors[field];
    return message === undefined ? [] : [{ field, message }];
  });
}

/**
 * Moves focus to the first invalid control of the form. Controls carry `aria-invalid` when their field has an error
 * (MUI sets it from `error`), and document order is form order; the field's error is its description, so a screen
 * reader says what is wrong on arrival. With no such control (an error about the whole body), the summary is focused.
 */
export function focusFirstInvalid(form: HTMLElement, summary: HTMLElement | null): void {
  const control = form.querySelector<HTMLElement>('[aria-invalid="true"]:not([aria-hidden="true"])');
  const target = control ?? summary;
  if (!target) return;
  target.focus();
  target.scrollIntoView({ block: 'center', behavior: 'smooth' });
}
