import Box from '@mui/material/Box';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Typography from '@mui/material/Typography';
import type { KeyboardEvent } from 'react';

interface CorrectnessProps {
  value: 0 | 1 | null;
  invalid: boolean;
  onChange: (value: 0 | 1) => void;
  /** The benchmark's correct answer, shown to raters (never to actors, who play a person without it). */
  goldAnswer?: string | undefined;
}

/** Is the answer correct, whatever its style? Arrows or Y / N. */
export function CorrectnessChoice({ value, invalid, onChange, goldAnswer }: CorrectnessProps) {
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const key = event.key.toLowerCase();
    if (key !== 'y' && key !== 'n') return;
    event.preventDefault();
    onChange(key === 'y' ? 1 : 0);
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
        Is the answer correct?
      </FormLabel>
      {goldAnswer !== undefined && (
        <Typography variant="body2" sx={{ px: 0.5, mb: 0.5 }}>
          Correct answer:{' '}
          <Box component="strong" sx={{ fontWeight: 700 }}>
            {goldAnswer === '' ? '(none given)' : goldAnswer}
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
        <FormControlLabel value="1" control={<Radio size="small" />} label="Yes, correct (Y)" />
        <FormControlLabel value="0" control={<Radio size="small" />} label="No, not correct (N)" />
      </RadioGroup>
    </FormControl>
  );
}
