import Alert from '@mui/material/Alert';
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
import type { ParticipantRole } from '../../../../shared/schemas/identity.ts';
import { t as translate, useTranslation } from '../../i18n/index.ts';
import { useAppStore } from '../../store/index.ts';
import { Narrow } from './participant-gate.tsx';
import { useParticipantPreview } from './preview-context.ts';
import { StepHeading } from './step-heading.tsx';
import { StepIndicator } from './step-indicator.tsx';

/** The built-in consent per role, for studies that give none: actors chat as a persona, raters only rate. */
function defaultConsent(role: ParticipantRole): string[] {
  const middle =
    role === 'actor'
      ? [
          translate('consent.default.actorTask'),
          translate('consent.default.actorData'),
          translate('consent.default.actorPrivacy'),
        ]
      : [
          translate('consent.default.raterTask'),
          translate('consent.default.raterData'),
          translate('consent.default.raterPrivacy'),
        ];
  return [translate('consent.default.study'), ...middle, translate('consent.default.voluntary')];
}

/**
 * Consent before anything else: the study's own text for this role when it has one, else the role's default. A
 * participant reads the text the server sends with their journey (the one it records their decision against, by its
 * SHA-256); the join's text and the built-in default stand in until the journey has come. "I do not agree" stores the
 * refusal and ends their part (docs/data-protection.md).
 */
export function ConsentStep({ role }: { role: ParticipantRole }) {
  const { t } = useTranslation();
  const preview = useParticipantPreview();
  const joinedText = useAppStore((s) => s.consentText);
  const journeyText = useAppStore((s) => s.journey?.consent.text ?? null);
  // The join stores the role's text trimmed, '' as none; the preview reads it as GET /api/participant/study gives it.
  const consentText = preview ? preview.study.consentText.trim() || null : (journeyText ?? joinedText);
  const acceptConsent = useAppStore((s) => s.acceptConsent);
  const declineConsent = useAppStore((s) => s.declineConsent);
  const consentError = useAppStore((s) => s.consentError);
  const [agreed, setAgreed] = useState(false);
  const [tried, setTried] = useState(false);
  const [sending, setSending] = useState(false);
  const paragraphs = consentText ? consentText.split(/\n\s*\n/) : defaultConsent(role);

  const send = (decide: () => Promise<void>): void => {
    setSending(true);
    void decide().finally(() => setSending(false));
  };

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    setTried(true);
    if (agreed) {
      if (preview) preview.advance('consent');
      else send(acceptConsent);
    }
  };

  // The preview stores nothing: declining there only shows that the button exists.
  const decline = (): void => {
    if (!preview) send(declineConsent);
  };

  return (
    <Narrow>
      <StepIndicator role={role} current="consent" />
      <Card component="section" aria-labelledby="consent-title">
        <CardContent>
          <Stack spacing={2} component="form" onSubmit={submit} noValidate>
            <StepHeading id="consent-title" kicker={t('common.beforeYouStart')} title={t('consent.title')} />
            <Box sx={{ maxHeight: '50vh', overflowY: 'auto', pr: 1 }} tabIndex={0} aria-label={t('consent.textLabel')}>
              {paragraphs.map((p, i) => (
                <Typography key={i} sx={{ mb: 1.5, whiteSpace: 'pre-wrap' }}>
                  {p}
                </Typography>
              ))}
            </Box>
            <Box>
              <FormControlLabel
                control={<Checkbox checked={agreed} onChange={(e) => setAgreed(e.target.checked)} />}
                label={t('consent.agree')}
              />
              {tried && !agreed && (
                <FormHelperText error role="alert">
                  {t('consent.tickToContinue')}
                </FormHelperText>
              )}
            </Box>
            {consentError && !preview && (
              <Alert severity="warning" role="alert">
                {consentError}
              </Alert>
            )}
            <Stack direction="row" spacing={2} sx={{ flexWrap: 'wrap', rowGap: 1 }}>
              <Button type="submit" variant="contained" size="large" disabled={sending}>
                {t('common.continue')}
              </Button>
              <Button type="button" variant="text" size="large" onClick={decline} disabled={sending}>
                {t('consent.decline')}
              </Button>
            </Stack>
          </Stack>
        </CardContent>
      </Card>
    </Narrow>
  );
}
