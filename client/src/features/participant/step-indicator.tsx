import Box from '@mui/material/Box';
import Step from '@mui/material/Step';
import StepLabel from '@mui/material/StepLabel';
import Stepper from '@mui/material/Stepper';
import Typography from '@mui/material/Typography';
import type { ParticipantRole } from '../../../../shared/schemas/identity.ts';
import { useTranslation } from '../../i18n/index.ts';
import { activeStep, stepsFor, timeEstimateText, type StepKey } from './participant-steps.ts';
import { useParticipantStudy } from './use-participant-study.ts';

/**
 * Where the participant is: consent → practice (actors) or instructions (raters) → the task → done, with the
 * researcher's time estimate when the study gives one. Compact: labels only from the small breakpoint up.
 */
export function StepIndicator({ role, current }: { role: ParticipantRole; current: StepKey }) {
  const { t } = useTranslation();
  const study = useParticipantStudy();
  const estimate = timeEstimateText(study?.estimatedMinutes);
  const steps = stepsFor(role);
  const active = activeStep(role, current);
  return (
    <Box component="nav" aria-label={t('steps.progressLabel')} sx={{ mb: 2 }}>
      <Stepper activeStep={active} alternativeLabel sx={{ '& .MuiStepLabel-label': { mt: 0.5 } }}>
        {steps.map((s, i) => (
          <Step key={s.key} completed={i < active}>
            <StepLabel aria-current={i === active ? 'step' : undefined}>{s.label}</StepLabel>
          </Step>
        ))}
      </Stepper>
      {estimate && (
        <Typography variant="body2" color="text.secondary" sx={{ textAlign: 'center', mt: 0.5 }}>
          {estimate}
        </Typography>
      )}
    </Box>
  );
}
