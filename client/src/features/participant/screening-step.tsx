import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormHelperText from '@mui/material/FormHelperText';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n/index.ts';
import { useAppStore } from '../../store/index.ts';
import { Narrow } from './participant-gate.tsx';
import { useParticipantPreview } from './preview-context.ts';
import { StepHeading } from './step-heading.tsx';

/**
 * The study's screening question, before consent: "no" ends the visit with the screened-out code (stored on the
 * server, so a reload or another device shows the same end); "yes" goes on to consent. The question is the
 * researcher's text, shown as plain text.
 */
export function ScreeningStep() {
  const { t } = useTranslation();
  const preview = useParticipantPreview();
  const stored = useAppStore((s) => s.journey?.screeningQuestion ?? '');
  const question = preview ? preview.journey.screeningQuestion : stored;
  const answerScreening = useAppStore((s) => s.answerScreening);
  const [answer, setAnswer] = useState<'yes' | 'no' | null>(null);
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const questionId = useId();

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    setTried(true);
    if (answer === null || busy) return;
    if (preview) return preview.advance(answer === 'yes' ? 'screening-yes' : 'screening-no');
    setBusy(true);
    void answerScreening(answer).finally(() => setBusy(false));
  };

  return (
    <Narrow>
      <Card component="section" aria-labelledby="screening-title">
        <CardContent>
          <Stack spacing={2} component="form" onSubmit={submit} noValidate>
            <StepHeading id="screening-title" kicker={t('common.beforeYouStart')} title={t('screening.title')} />
            <Typography id={questionId} sx={{ whiteSpace: 'pre-wrap' }}>
              {question}
            </Typography>
            <RadioGroup
              aria-labelledby={questionId}
              value={answer ?? ''}
              onChange={(e) => setAnswer(e.target.value === 'no' ? 'no' : 'yes')}
            >
              <FormControlLabel value="yes" control={<Radio />} label={t('common.yes')} disabled={busy} />
              <FormControlLabel value="no" control={<Radio />} label={t('common.no')} disabled={busy} />
            </RadioGroup>
            {tried && answer === null && (
              <FormHelperText error role="alert">
                {t('screening.answerToContinue')}
              </FormHelperText>
            )}
            <div>
              <Button type="submit" variant="contained" size="large" disabled={busy}>
                {t('common.continue')}
              </Button>
            </div>
          </Stack>
        </CardContent>
      </Card>
    </Narrow>
  );
}
