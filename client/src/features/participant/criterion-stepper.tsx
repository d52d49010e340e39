import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { useTranslation } from '../../i18n/index.ts';

interface StepperProps {
  /** The criterion on screen (0-based). */
  step: number;
  /** Per criterion, whether it has a score: the dots show what is left. */
  scored: boolean[];
  onStep: (step: number) => void;
}

/**
 * Under the one criterion a phone shows: Previous and Next, where the rater is ("Criterion 3 of 7") and a dot per
 * criterion, filled once scored. The buttons are plain buttons (not submit), so Enter on them moves, never submits.
 */
export function CriterionStepper({ step, scored, onStep }: StepperProps) {
  const { t } = useTranslation();
  const count = scored.length;
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 1 }}>
      <Button type="button" onClick={() => onStep(step - 1)} disabled={step === 0}>
        <span aria-hidden>‹&nbsp;</span>
        {t('stepper.previous')}
      </Button>
      <Box sx={{ textAlign: 'center', minWidth: 0 }}>
        <Typography variant="body2" sx={{ fontWeight: 600 }}>
          {t('stepper.position', { current: step + 1, total: count })}
        </Typography>
        <Box aria-hidden sx={{ display: 'flex', justifyContent: 'center', flexWrap: 'wrap', gap: 0.5, mt: 0.5 }}>
          {scored.map((done, i) => (
            <Box
              key={i}
              sx={{
                width: 8,
                height: 8,
                borderRadius: '50%',
                border: 1,
                borderColor: 'primary.main',
                bgcolor: done ? 'primary.main' : 'transparent',
                outline: i === step ? 2 : 0,
                outlineColor: 'primary.main',
                outlineOffset: 1,
              }}
            />
          ))}
        </Box>
      </Box>
      <Button type="button" variant="outlined" onClick={() => onStep(step + 1)} disabled={step === count - 1}>
        {t('stepper.next')}
        <span aria-hidden>&nbsp;›</span>
      </Button>
    </Box>
  );
}
