import Alert from '@mui/material/Alert';
import { useEffect, useState } from 'react';
import { useTranslation } from '../../i18n/index.ts';
import { useAppStore } from '../../store/index.ts';

/**
 * The server's idle warning, counting down: the episode ends at zero unless the actor replies. It stays on the page
 * (role=alert, so screen readers announce it) and leaves the tab's title alone: a changed title outlives the warning
 * and makes the tab read as another page.
 */
export function IdleWarning() {
  const { t } = useTranslation();
  const warning = useAppStore((s) => s.idleWarning);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    if (!warning) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [warning]);

  if (!warning) return null;
  const left = Math.max(0, Math.round(warning.secondsLeft - (now - warning.receivedAt) / 1000));
  return (
    <Alert severity="warning" role="alert" sx={{ mb: 1 }}>
      {t('idle.warning', { count: left })}
    </Alert>
  );
}
