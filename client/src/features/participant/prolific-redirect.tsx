import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import { useTranslation } from '../../i18n/index.ts';
import { useParticipantPreview } from './preview-context.ts';

/** Long enough to read (and copy) the code, short enough that nobody wonders whether to wait. */
export const REDIRECT_SECONDS = 5;

/**
 * Sends the participant back to Prolific's completion URL after a few seconds, with the link always visible as a
 * fallback (a blocked redirect, a slow reader) and a way to stay. The URL was checked on the server (http(s) only).
 */
export function ProlificRedirect({ url }: { url: string }) {
  const { t } = useTranslation();
  const [left, setLeft] = useState(REDIRECT_SECONDS);
  // A researcher's preview shows the link but never leaves the console on its own.
  const [stayed, setStayed] = useState(useParticipantPreview() !== null);

  useEffect(() => {
    if (stayed) return;
    if (left <= 0) {
      window.location.assign(url);
      return;
    }
    const timer = window.setTimeout(() => setLeft((s) => s - 1), 1000);
    return () => window.clearTimeout(timer);
  }, [left, stayed, url]);

  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, flexWrap: 'wrap' }}>
      <Button component={Link} href={url} variant="contained" underline="none">
        {t('redirect.continue')}
      </Button>
      {stayed ? (
        <Typography color="text.secondary">{t('redirect.whenReady')}</Typography>
      ) : (
        <>
          <Typography role="status" color="text.secondary">
            {left > 0 ? t('redirect.countdown', { count: left }) : t('redirect.now')}
          </Typography>
          <Button variant="text" onClick={() => setStayed(true)}>
            {t('redirect.stay')}
          </Button>
        </>
      )}
    </Box>
  );
}
