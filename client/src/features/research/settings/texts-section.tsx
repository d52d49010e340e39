import Grid from '@mui/material/Grid';
import TextField from '@mui/material/TextField';
import { PARTICIPANT_LANGUAGES, type ParticipantLanguage } from '../../../../../shared/schemas/participant-language.ts';
import { FormSection, type SectionProps } from './form-section.tsx';
import type { DraftField } from './settings-draft.ts';

type TextFieldName = Extract<
  DraftField,
  'consentText' | 'raterConsentText' | 'actorInstructions' | 'raterInstructions'
>;
type MinutesField = Extract<DraftField, 'actorMinutes' | 'raterMinutes'>;
type CodeField = Extract<DraftField, 'codeCompleted' | 'codeFailedAttention' | 'codeTimedOut'>;

const TEXTS: { field: TextFieldName; label: string; help: string }[] = [
  {
    field: 'consentText',
    label: 'Consent (persona actors)',
    help: 'Shown before anything else; people must agree to continue. Empty: a built-in text for the role',
  },
  {
    field: 'raterConsentText',
    label: 'Consent for raters',
    help: 'Raters see this instead; empty: raters see the consent above (or the built-in rater text if that is empty)',
  },
  { field: 'actorInstructions', label: 'Instructions for persona actors', help: 'How to play the persona' },
  { field: 'raterInstructions', label: 'Instructions for raters', help: 'How to score answers on the rubric' },
];

// Each in its own language too, as a participant would look for it.
const LANGUAGE_NAMES: Record<ParticipantLanguage, string> = { en: 'English', de: 'German (Deutsch)' };

const MINUTES: { field: MinutesField; label: string }[] = [
  { field: 'actorMinutes', label: 'Minutes for a persona actor' },
  { field: 'raterMinutes', label: 'Minutes for a rater' },
];

const CODES: { field: CodeField; label: string }[] = [
  { field: 'codeCompleted', label: 'Completed' },
  { field: 'codeFailedAttention', label: 'Failed attention checks' },
  { field: 'codeTimedOut', label: 'Timed out' },
];

/** What participants read, and the Prolific completion codes they get at the end. */
export function TextsSection({ draft, errors, disabled, change }: SectionProps) {
  return (
    <>
      <FormSection title="Consent and instructions">
        <TextField
          select
          label="Participant language"
          value={draft.participantLanguage}
          onChange={(e) => {
            const language = PARTICIPANT_LANGUAGES.find((l) => l === e.target.value);
            if (language) change('participantLanguage', language);
          }}
          disabled={disabled}
          error={errors.participantLanguage !== undefined}
          helperText={
            errors.participantLanguage ??
            'The language of the participant pages (buttons, hints, messages). Write the consent, instructions and screening question below in it too: they are shown as written'
          }
          slotProps={{ select: { native: true } }}
          sx={{ maxWidth: 480 }}
        >
          {PARTICIPANT_LANGUAGES.map((language) => (
            <option key={language} value={language}>
              {LANGUAGE_NAMES[language]}
            </option>
          ))}
        </TextField>
        {TEXTS.map(({ field, label, help }) => (
          <TextField
            key={field}
            label={label}
            multiline
            minRows={3}
            value={draft[field]}
            onChange={(e) => change(field, e.target.value)}
            disabled={disabled}
            error={errors[field] !== undefined}
            helperText={errors[field] ?? help}
          />
        ))}
        <Grid container spacing={2}>
          {MINUTES.map(({ field, label }) => (
            <Grid key={field} size={{ xs: 12, md: 6 }}>
              <TextField
                fullWidth
                type="number"
                label={label}
                value={draft[field]}
                onChange={(e) => change(field, e.target.value)}
                disabled={disabled}
                error={errors[field] !== undefined}
                helperText={errors[field] ?? 'Shown to participants as "About N minutes"; 0: not shown'}
                slotProps={{ htmlInput: { min: 0, max: 600, step: 1 } }}
              />
            </Grid>
          ))}
        </Grid>
      </FormSection>
      <FormSection
        title="Prolific completion codes"
        description="Shown at the end, by how the participant finished. Leave empty if not on Prolific."
      >
        <Grid container spacing={2}>
          {CODES.map(({ field, label }) => (
            <Grid key={field} size={{ xs: 12, md: 4 }}>
              <TextField
                fullWidth
                label={label}
                value={draft[field]}
                onChange={(e) => change(field, e.target.value)}
                disabled={disabled}
                error={errors[field] !== undefined}
                helperText={errors[field]}
                slotProps={{ htmlInput: { style: { fontFamily: 'monospace' } } }}
              />
            </Grid>
          ))}
        </Grid>
      </FormSection>
    </>
  );
}
