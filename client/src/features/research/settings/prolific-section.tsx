import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import Grid from '@mui/material/Grid';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import { useId } from 'react';
import { FormSection, type SectionProps } from './form-section.tsx';
import type { DraftField } from './settings-draft.ts';

type CodeField = Extract<DraftField, 'codeScreenedOut' | 'codeNoWork'>;
type UrlField = Extract<
  DraftField,
  'urlCompleted' | 'urlFailedAttention' | 'urlTimedOut' | 'urlScreenedOut' | 'urlNoWork'
>;

const MORE_CODES: { field: CodeField; label: string; help: string }[] = [
  { field: 'codeScreenedOut', label: 'Screened out', help: 'Answered “no” to the screening question' },
  { field: 'codeNoWork', label: 'No work left', help: 'A rater ended early because nothing was left to rate' },
];

const URLS: { field: UrlField; label: string }[] = [
  { field: 'urlCompleted', label: 'Completed' },
  { field: 'urlFailedAttention', label: 'Failed attention checks' },
  { field: 'urlTimedOut', label: 'Timed out' },
  { field: 'urlScreenedOut', label: 'Screened out' },
  { field: 'urlNoWork', label: 'No work left' },
];

/**
 * What a paid Prolific study needs besides the main codes: codes for the screened-out and out-of-work ends, the
 * completion URLs participants are sent back to, the screening question, the id check and the out-of-work policy.
 */
export function ProlificSection({ draft, errors, disabled, change }: SectionProps) {
  const policyLabel = useId();
  return (
    <FormSection
      title="Prolific: more codes, return links, screening"
      description="Participants see their code at the end; with a completion URL they are then sent back to Prolific. Leave empty if not on Prolific."
    >
      <Grid container spacing={2}>
        {MORE_CODES.map(({ field, label, help }) => (
          <Grid key={field} size={{ xs: 12, md: 6 }}>
            <TextField
              fullWidth
              label={`Code: ${label}`}
              value={draft[field]}
              onChange={(e) => change(field, e.target.value)}
              disabled={disabled}
              error={errors[field] !== undefined}
              helperText={errors[field] ?? help}
              slotProps={{ htmlInput: { style: { fontFamily: 'monospace' } } }}
            />
          </Grid>
        ))}
      </Grid>
      <Grid container spacing={2}>
        {URLS.map(({ field, label }) => (
          <Grid key={field} size={{ xs: 12, md: 6 }}>
            <TextField
              fullWidth
              type="url"
              label={`Completion URL: ${label}`}
              placeholder="https://app.prolific.com/submissions/complete?cc=CODE"
              value={draft[field]}
              onChange={(e) => change(field, e.target.value)}
              disabled={disabled}
              error={errors[field] !== undefined}
              helperText={errors[field]}
            />
          </Grid>
        ))}
      </Grid>
      <TextField
        label="Screening question"
        multiline
        minRows={2}
        value={draft.screeningQuestion}
        onChange={(e) => change('screeningQuestion', e.target.value)}
        disabled={disabled}
        error={errors.screeningQuestion !== undefined}
        helperText={
          errors.screeningQuestion ??
          'A yes/no question asked before consent; “no” ends the visit with the screened-out code. Empty: none.'
        }
      />
      <FormControlLabel
        control={
          <Switch
            checked={draft.requireProlificIdFormat}
            onChange={(e) => change('requireProlificIdFormat', e.target.checked)}
            disabled={disabled}
          />
        }
        label="Refuse Prolific ids that are not 24 hexadecimal characters (turn on before the study opens)"
      />
      <div>
        <FormLabel id={policyLabel}>A rater with quota left but nothing to rate right now</FormLabel>
        <RadioGroup
          aria-labelledby={policyLabel}
          value={draft.outOfWorkPolicy}
          onChange={(e) => change('outOfWorkPolicy', e.target.value === 'code' ? 'code' : 'wait')}
        >
          <FormControlLabel
            value="wait"
            control={<Radio />}
            label="Waits: their page checks again for new answers"
            disabled={disabled}
          />
          <FormControlLabel
            value="code"
            control={<Radio />}
            label="Ends with the no-work code (and URL) for the work done"
            disabled={disabled}
          />
        </RadioGroup>
      </div>
      {draft.outOfWorkPolicy === 'wait' && (
        <TextField
          type="number"
          label="Check again every (minutes)"
          value={draft.outOfWorkWaitMinutes}
          onChange={(e) => change('outOfWorkWaitMinutes', e.target.value)}
          disabled={disabled}
          error={errors.outOfWorkWaitMinutes !== undefined}
          helperText={errors.outOfWorkWaitMinutes ?? '1 to 240'}
          slotProps={{ htmlInput: { step: 1, min: 1, max: 240 } }}
          sx={{ maxWidth: 280 }}
        />
      )}
      <TextField
        type="number"
        label="Keep participant data after closing (days)"
        value={draft.retentionDays}
        onChange={(e) => change('retentionDays', e.target.value)}
        disabled={disabled}
        error={errors.retentionDays !== undefined}
        helperText={
          errors.retentionDays ??
          '0 keeps it; otherwise a daily purge deletes every participant this many days after the study closes'
        }
        slotProps={{ htmlInput: { step: 1, min: 0, max: 3650 } }}
        sx={{ maxWidth: 480 }}
      />
    </FormSection>
  );
}
