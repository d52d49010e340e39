import FormControlLabel from '@mui/material/FormControlLabel';
import Grid from '@mui/material/Grid';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import { FormSection, type SectionProps } from './form-section.tsx';
import { ProblemIdPicker } from './problem-id-picker.tsx';
import type { DraftField } from './settings-draft.ts';

type NumberField = Extract<
  DraftField,
  | 'raterOverlap'
  | 'playsPerRecord'
  | 'playsPerActor'
  | 'ratingsPerRater'
  | 'goldRate'
  | 'leaseMinutes'
  | 'idleTimeoutSeconds'
  | 'idleWarningSeconds'
>;

const NUMBERS: { field: NumberField; label: string; help: string; step?: number }[] = [
  { field: 'playsPerRecord', label: 'Plays per record', help: 'Completed plays each record × model needs' },
  { field: 'playsPerActor', label: 'Plays per actor', help: 'Quota: plays one actor may do' },
  {
    field: 'raterOverlap',
    label: 'Raters per answer (k)',
    help: 'Distinct raters for each answer; gold items are extra',
  },
  { field: 'ratingsPerRater', label: 'Ratings per rater', help: 'Quota: answers one rater may score' },
  {
    field: 'goldRate',
    label: 'Gold rate',
    help: 'Chance (0–1) that a rater’s next item is an attention check',
    step: 0.05,
  },
  { field: 'leaseMinutes', label: 'Lease (minutes)', help: 'How long a claimed play or rating is held' },
  { field: 'idleTimeoutSeconds', label: 'Idle timeout (seconds)', help: 'A live session ends after this much silence' },
  { field: 'idleWarningSeconds', label: 'Idle warning (seconds)', help: 'Warned this long before the timeout' },
];

/** Which records are played, quotas, overlap, attention checks and timeouts. */
export function ParticipationSection({ studyId, draft, errors, disabled, change }: SectionProps & { studyId: string }) {
  return (
    <FormSection title="Records, quotas and timing">
      <RadioGroup
        row
        aria-label="Records to play and rate"
        value={draft.recordsKind}
        onChange={(e) => change('recordsKind', e.target.value === 'list' ? 'list' : 'all')}
      >
        <FormControlLabel value="all" control={<Radio />} label="All of the study’s records" disabled={disabled} />
        <FormControlLabel value="list" control={<Radio />} label="Only these problem ids" disabled={disabled} />
      </RadioGroup>
      {draft.recordsKind === 'list' && (
        <ProblemIdPicker
          studyId={studyId}
          value={draft.problemIds}
          onChange={(text) => change('problemIds', text)}
          disabled={disabled}
          error={errors.problemIds}
        />
      )}
      <Grid container spacing={2}>
        {NUMBERS.map(({ field, label, help, step }) => (
          <Grid key={field} size={{ xs: 12, sm: 6, md: 3 }}>
            <TextField
              fullWidth
              type="number"
              label={label}
              value={draft[field]}
              onChange={(e) => change(field, e.target.value)}
              disabled={disabled}
              error={errors[field] !== undefined}
              helperText={errors[field] ?? help}
              slotProps={{ htmlInput: { step: step ?? 1, min: 0 } }}
            />
          </Grid>
        ))}
      </Grid>
      <FormControlLabel
        control={
          <Switch
            checked={draft.showTranscript}
            onChange={(e) => change('showTranscript', e.target.checked)}
            disabled={disabled}
          />
        }
        label="Raters also see the dialogue before the answer (the judge sees only the answer)"
      />
    </FormSection>
  );
}
