import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useTranslation } from '../../i18n/index.ts';
import { Narrow } from './participant-gate.tsx';

/** Prolific's participant site: no completion code goes with a refusal, so the way back is the site itself. */
const PROLIFIC_URL = 'https://app.prolific.com/';

/**
 * What someone who did not agree to the consent sees, now and whenever they open their link again: their part has
 * ended and nothing but the refusal is kept (docs/data-protection.md, "Consent records").
 */
export function DeclinedStep() {
  const { t } = useTranslation();
  return (
    <Narrow>
      <Card component="section" aria-labelledby="declined-title">
        <CardContent>
          <Stack spacing={2}>
            <Typography id="declined-title" component="h1" variant="h5">
              {t('consent.declinedTitle')}
            </Typography>
            <Typography>{t('consent.declinedBody')}</Typography>
            <div>
              <Button variant="outlined" href={PROLIFIC_URL} rel="noopener noreferrer">
                {t('consent.backToProlific')}
              </Button>
            </div>
          </Stack>
        </CardContent>
      </Card>
    </Narrow>
  );
}
