import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Stack from '@mui/material/Stack';
import { useTranslation } from '../../i18n/index.ts';
import { useAppStore } from '../../store/index.ts';
import { Narrow } from './participant-gate.tsx';
import { useParticipantPreview } from './preview-context.ts';
import { RoleRulesList } from './role-rules-list.tsx';
import { StepHeading } from './step-heading.tsx';
import { StepIndicator } from './step-indicator.tsx';

export function InstructionsStep({ role }: { role: 'actor' | 'rater' }) {
  const { t } = useTranslation();
  const preview = useParticipantPreview();
  const finishInstructions = useAppStore((s) => s.finishInstructions);
  return (
    <Narrow>
      <StepIndicator role={role} current="instructions" />
      <Card component="section" aria-labelledby="instructions-title">
        <CardContent>
          <Stack spacing={2}>
            <StepHeading
              id="instructions-title"
              kicker={role === 'actor' ? t('instructions.actorKicker') : t('instructions.raterKicker')}
              title={role === 'actor' ? t('instructions.actorTitle') : t('instructions.raterTitle')}
            />
            <RoleRulesList role={role} />
            {role === 'actor' && (
              <Alert role="note" severity="info">
                {t('instructions.actorNote')}
              </Alert>
            )}
            <Box>
              <Button
                variant="contained"
                size="large"
                onClick={preview ? () => preview.advance('instructions') : finishInstructions}
              >
                {role === 'actor' ? t('instructions.startPractice') : t('instructions.startRating')}
              </Button>
            </Box>
          </Stack>
        </CardContent>
      </Card>
    </Narrow>
  );
}
