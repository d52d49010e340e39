import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import { useTranslation } from '../../i18n/index.ts';

function clock(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = Math.floor(seconds % 60);
  return `${m}:${String(s).padStart(2, '0')}`;
}

/**
 * Time on the current item, from the moment it was shown (the same start the stored secondsSpent uses). Updated once a
 * second and kept out of the accessibility tree's live regions: a ticking announcement would drown the screen reader.
 */
export function ItemTimer({ since }: { since: number | null }) {
  const { t } = useTranslation();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(id);
  }, []);
  if (since === null) return null;
  return (
    <Typography variant="body2" color="text.secondary" sx={{ fontVariantNumeric: 'tabular-nums' }}>
      {t('timer.onThisAnswer', { time: clock(Math.max(0, (now - since) / 1000)) })}
    </Typography>
  );
}
