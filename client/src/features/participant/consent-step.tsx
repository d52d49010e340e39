import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormHelperText from '@mui/material/FormHelperText';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useState, type FormEvent } from 'react';
import { useAppStore } from '../../store/index.ts';
import { Narrow } from './participant-gate.tsx';
import { StepHeading } from './step-heading.tsx';

const DEFAULT_CONSENT = [
  'You are invited to take part in a research study on how AI language models find out what a person needs before they answer.',
  'Depending on the link you followed, you will either play a described person in a short text chat with an AI model and then rate its answer, or rate answers that AI models gave to such people.',
  'We record what you type, your ratings and how long each step takes, together with your Prolific ID so that your work can be matched to your payment.',
  'Please do not type personal information about yourself: in the chat you are playing a fictional person.',
  'Taking part is voluntary. You may stop at any time by closing this page. If you have questions, contact the researchers through Prolific.',
];

/** Consent before anything else: the study's own text when the server provides it, else a sensible default. */
export function ConsentStep() {
  const consentText = useAppStore((s) => s.consentText);
  const acceptConsent = useAppStore((s) => s.acceptConsent);
  const [agreed, setAgreed] = useState(false);
  const [tried, setTried] = useState(false);
  const paragraphs = consentText ? consentText.split(/\n\s*\n/) : DEFAULT_CONSENT;

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    setTried(true);
    if (agreed) acceptConsent();
  };

  return (
    <Narrow>
      <Card component="section" aria-labelledby="consent-title">
        <CardContent>
          <Stack spacing={2} component="form" onSubmit={submit} noValidate>
            <StepHeading id="consent-title" kicker="Before you start" title="Information and consent" />
            <Box sx={{ maxHeight: '50vh', overflowY: 'auto', pr: 1 }} tabIndex={0} aria-label="Consent text">
              {paragraphs.map((p, i) => (
                <Typography key={i} sx={{ mb: 1.5, whiteSpace: 'pre-wrap' }}>
                  {p}
                </Typography>
              ))}
            </Box>
            <Box>
              <FormControlLabel
                control={<Checkbox checked={agreed} onChange={(e) => setAgreed(e.target.checked)} />}
                label="I have read the information above and agree to take part."
              />
              {tried && !agreed && (
                <FormHelperText error role="alert">
                  Please tick the box to continue, or close this page if you do not wish to take part.
                </FormHelperText>
              )}
            </Box>
            <Box>
              <Button type="submit" variant="contained" size="large">
                Continue
              </Button>
            </Box>
          </Stack>
        </CardContent>
      </Card>
    </Narrow>
  );
}
