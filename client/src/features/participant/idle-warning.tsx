import Alert from '@mui/material/Alert';
import { useEffect, useState } from 'react';
import { useAppStore } from '../../store/index.ts';

/** The server's idle warning, counting down: the episode ends at zero unless the actor replies. */
export function IdleWarning() {
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
      Are you still there? Please reply to the model’s question — the session ends in {left} second
      {left === 1 ? '' : 's'} without a reply.
    </Alert>
  );
}
