import Box from '@mui/material/Box';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Typography from '@mui/material/Typography';
import type { KeyboardEvent } from 'react';
import { useTranslation } from '../../i18n/index.ts';
import { bareLatexAsMath } from '../../ui/rich-text/math-delimiters.ts';
import { RichText } from '../../ui/rich-text/rich-text.tsx';

interface CorrectnessProps {
  value: 0 | 1 | null;
  invalid: boolean;
  onChange: (value: 0 | 1) => void;
  /** The benchmark's correct answer, shown to raters (never to actors, who play a person without it). */
  goldAnswer?: string | undefined;
}

/** Is the answer correct, whatever its style? Arrows or Y / N; one Tab stop, like each criterion. */
export function CorrectnessChoice({ value, invalid, onChange, goldAnswer }: CorrectnessProps) {
  const { t } = useTranslation();
  // Roving tabindex: the chosen answer (or Yes while none is chosen) is the group's one Tab stop; arrows move within.
  // Left to the browser, Tab visited both radios while neither was checked.
  const tabStop = value ?? 1;
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    // Y / N, and the participant language's own initials (German: J / N).
    const key = event.key.toLowerCase();
    const yes = key === 'y' || key === t('correctness.yesKey');
    if (!yes && key !== 'n' && key !== t('correctness.noKey')) return;
    event.preventDefault();
    onChange(yes ? 1 : 0);
  };
  return (
    <FormControl
      component="fieldset"
      error={invalid}
      data-scale="correctness"
      sx={{ border: 1, borderColor: invalid ? 'error.main' : 'divider', borderRadius: 2, p: 1.5 }}
    >
      <FormLabel
        component="legend"
        id="correctness-label"
        sx={{ px: 0.5, color: 'text.primary', fontWeight: 600, '&.Mui-focused': { color: 'text.primary' } }}
      >
        {t('correctness.question')}
      </FormLabel>
      {goldAnswer !== undefined && (
        <Typography variant="body2" sx={{ px: 0.5, mb: 0.5 }}>
          {t('correctness.correctAnswer')}{' '}
          <Box component="strong" sx={{ fontWeight: 700 }}>
            {goldAnswer === '' ? t('correctness.noneGiven') : <RichText text={bareLatexAsMath(goldAnswer)} inline />}
          </Box>
        </Typography>
      )}
      <RadioGroup
        row
        aria-labelledby="correctness-label"
        value={value === null ? '' : String(value)}
        onChange={(_e, v) => onChange(v === '1' ? 1 : 0)}
        onKeyDown={onKeyDown}
      >
        <FormControlLabel
          value="1"
          control={<Radio size="small" slotProps={{ input: { tabIndex: tabStop === 1 ? 0 : -1 } }} />}
          label={t('correctness.yes')}
        />
        <FormControlLabel
          value="0"
          control={<Radio size="small" slotProps={{ input: { tabIndex: tabStop === 0 ? 0 : -1 } }} />}
          label={t('correctness.no')}
        />
      </RadioGroup>
    </FormControl>
  );
}
