import Grid from '@mui/material/Grid';
import TextField from '@mui/material/TextField';
import { FormSection, type SectionProps } from './form-section.tsx';
import type { DraftField } from './settings-draft.ts';

type TextFieldName = Extract<DraftField, 'consentText' | 'actorInstructions' | 'raterInstructions'>;
type CodeField = Extract<DraftField, 'codeCompleted' | 'codeFailedAttention' | 'codeTimedOut'>;

const TEXTS: { field: TextFieldName; label: string; help: string }[] = [
  { field: 'consentText', label: 'Consent', help: 'Shown before anything else; people must agree to continue' },
  { field: 'actorInstructions', label: 'Instructions for persona actors', help: 'How to play the persona' },
  { field: 'raterInstructions', label: 'Instructions for raters', help: 'How to score answers on the rubric' },
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
