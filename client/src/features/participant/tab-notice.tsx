import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useTranslation } from '../../i18n/index.ts';
import { useAppStore } from '../../store/index.ts';
import { Narrow } from './participant-gate.tsx';
import { StepHeading } from './step-heading.tsx';

/**
 * Shown instead of the task while another tab of this participant has it (shared/protocol/tabs.ts): a new tab asks
 * before taking it over; a tab it was taken from says where the task went. Neither shows a reply box or a rating
 * form, so nothing can be typed here that would not be sent. What was typed is kept in the browser either way.
 */
export function TabNotice({ state }: { state: 'elsewhere' | 'taken_over' }) {
  const { t } = useTranslation();
  const takeOverHere = useAppStore((s) => s.takeOverHere);
  const elsewhere = state === 'elsewhere';
  return (
    <Narrow>
      <Stack spacing={2}>
        <StepHeading id="tab-notice-title" title={elsewhere ? t('tabs.elsewhereTitle') : t('tabs.takenOverTitle')} />
        <Alert role="status" severity="info">
          {elsewhere ? t('tabs.elsewhereText') : t('tabs.takenOverText')}
        </Alert>
        <Typography variant="body2" color="text.secondary">
          {elsewhere ? t('tabs.elsewhereHint') : t('tabs.takenOverHint')}
        </Typography>
        <div>
          <Button variant="contained" onClick={takeOverHere}>
            {elsewhere ? t('tabs.continueHere') : t('tabs.continueHereInstead')}
          </Button>
        </div>
      </Stack>
    </Narrow>
  );
}
