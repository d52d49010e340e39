import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { useCallback, useEffect, useState } from 'react';
import { navigate } from '../../app/router.ts';
import { i18next, useTranslation } from '../../i18n/index.ts';
import { useAppStore } from '../../store/index.ts';
import { Narrow } from './participant-gate.tsx';

/**
 * A rater with quota left and nothing to rate right now, in a study whose out-of-work policy is 'wait': never a dead
 * end. The page asks the queue again every `minutes` (and on demand) and goes back to rating when an answer comes;
 * it also re-reads the participant's journey, so an end stored meanwhile shows its code.
 */
export function WaitingForWork({ minutes }: { minutes: number }) {
  const { t } = useTranslation();
  const nextRating = useAppStore((s) => s.nextRating);
  const loadJourney = useAppStore((s) => s.loadJourney);
  const item = useAppStore((s) => s.ratingItem);
  const connected = useAppStore((s) => s.connection === 'connected');
  const [checkedAt, setCheckedAt] = useState<Date | null>(null);
  const [checking, setChecking] = useState(false);

  const check = useCallback(async (): Promise<void> => {
    setChecking(true);
    try {
      await nextRating();
      await loadJourney();
    } finally {
      setChecking(false);
      setCheckedAt(new Date());
    }
  }, [nextRating, loadJourney]);

  useEffect(() => {
    if (item) navigate('/rate', { replace: true });
  }, [item]);

  useEffect(() => {
    if (!connected) return;
    const timer = window.setInterval(() => void check(), minutes * 60_000);
    return () => window.clearInterval(timer);
  }, [connected, minutes, check]);

  return (
    <Narrow>
      <Alert severity="info" role="status">
        {/* The page's one heading while the rater waits. */}
        <AlertTitle component="h1">{t('waiting.title')}</AlertTitle>
        <Typography>{t('waiting.text', { count: minutes })}</Typography>
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, mt: 1.5, flexWrap: 'wrap' }}>
          <Button variant="outlined" onClick={() => void check()} disabled={checking || !connected}>
            {checking ? t('waiting.checking') : t('waiting.checkNow')}
          </Button>
          {checkedAt && (
            <Typography variant="body2" color="text.secondary">
              {t('waiting.lastChecked', { time: checkedAt.toLocaleTimeString(i18next.language) })}
            </Typography>
          )}
        </Box>
      </Alert>
    </Narrow>
  );
}
