import FormControlLabel from '@mui/material/FormControlLabel';
import Grid from '@mui/material/Grid';
import MenuItem from '@mui/material/MenuItem';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import { MODES, type Mode } from '../../../../../shared/schemas/evaluation.ts';
import { ModelField, ModelsField } from '../model-field.tsx';
import { FormSection, type SectionProps } from './form-section.tsx';
import { PromptPackField } from './prompt-pack-field.tsx';

const CONDITIONS: Record<Mode, string> = {
  infer_persona: 'Discovery (infer_persona): people play the user live',
  persona_known: 'Oracle (persona_known): rating only, no live play',
  no_prompt: 'Baseline (no_prompt): rating only, no live play',
};

/** Which models are under test, in which condition, and which models play the twin and judge. */
export function ModelsSection({ draft, errors, disabled, change }: SectionProps) {
  const live = draft.condition === 'infer_persona';
  return (
    <FormSection title="Models and condition" description="Each selected record is played once per model under test.">
      <ModelsField
        label="Models under test"
        value={draft.models}
        onChange={(v) => change('models', v)}
        error={errors.models}
        helperText={
          live
            ? 'At least one, to open a live study. Pick a declared model or type its name and press Enter.'
            : 'Optional for a rating-only study.'
        }
        disabled={disabled}
      />
      <Grid container spacing={2}>
        <Grid size={{ xs: 12, md: 6 }}>
          <TextField
            select
            fullWidth
            label="Condition"
            value={draft.condition}
            onChange={(e) => change('condition', e.target.value as Mode)}
            disabled={disabled}
            error={errors.condition !== undefined}
            helperText={errors.condition}
          >
            {MODES.map((m) => (
              <MenuItem key={m} value={m}>
                {CONDITIONS[m]}
              </MenuItem>
            ))}
          </TextField>
        </Grid>
        <Grid size={{ xs: 12, md: 6 }}>
          <TextField
            fullWidth
            label="Max turns"
            type="number"
            value={draft.maxTurns}
            onChange={(e) => change('maxTurns', e.target.value)}
            disabled={disabled}
            error={errors.maxTurns !== undefined}
            helperText={errors.maxTurns ?? 'Questions the model may ask before it must answer (1–20)'}
            slotProps={{ htmlInput: { min: 1, max: 20 } }}
          />
        </Grid>
        <Grid size={{ xs: 12, md: 6 }}>
          <ModelField
            label="Simulated user (twin)"
            value={draft.simulatorModel}
            onChange={(v) => change('simulatorModel', v)}
            error={errors.simulatorModel}
            helperText="Answers the same questions as the person, unseen"
            disabled={disabled}
            required
          />
        </Grid>
        <Grid size={{ xs: 12, md: 6 }}>
          <ModelField
            label="Judge"
            value={draft.judgeModel}
            onChange={(v) => change('judgeModel', v)}
            error={errors.judgeModel}
            helperText="Scores each final answer on the rubric"
            disabled={disabled}
            required
          />
        </Grid>
        <Grid size={{ xs: 12 }}>
          <PromptPackField
            value={draft.promptPack}
            onChange={(v) => change('promptPack', v)}
            error={errors.promptPack}
            disabled={disabled}
          />
        </Grid>
      </Grid>
      <FormControlLabel
        control={
          <Switch
            checked={draft.simulatedTwin}
            onChange={(e) => change('simulatedTwin', e.target.checked)}
            disabled={disabled}
          />
        }
        label="Also run each live record fully simulated (the twin episode, for matched pairs)"
      />
    </FormSection>
  );
}
