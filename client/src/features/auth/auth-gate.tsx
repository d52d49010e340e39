import Box from '@mui/material/Box';
import CircularProgress from '@mui/material/CircularProgress';
import { useEffect, type ReactNode } from 'react';
import { useAppStore } from '../../store/index.ts';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { SetupCard } from './setup-card.tsx';
import { SignInCard } from './sign-in-card.tsx';

/** Shows its children to a signed-in researcher; otherwise the sign-in card, or the first-run setup. */
export function AuthGate({ children }: { children: ReactNode }) {
  const status = useAppStore((s) => s.authStatus);
  const error = useAppStore((s) => s.authError);
  const checkSession = useAppStore((s) => s.checkSession);

  useEffect(() => {
    void checkSession();
  }, [checkSession]);

  switch (status) {
    case 'checking':
      return (
        <Box sx={{ display: 'flex', justifyContent: 'center', py: 12 }}>
          <CircularProgress aria-label="Checking your session" />
        </Box>
      );
    case 'unavailable':
      return (
        <Box sx={{ maxWidth: 640, mx: 'auto', py: 6 }}>
          <ErrorAlert
            title="Could not check your session"
            message={error ?? 'unknown error'}
            onRetry={() => void checkSession()}
          />
        </Box>
      );
    case 'setup':
      return <SetupCard />;
    case 'signed-out':
      return <SignInCard />;
    case 'signed-in':
      return children;
  }
}
