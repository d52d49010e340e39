import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import { useEffect, type ReactNode } from 'react';
import { PageLoading } from '../../app/page-loading.tsx';
import { navigate } from '../../app/router.ts';
import { useAppStore } from '../../store/index.ts';
import type { Participant } from '../../store/participant-slice.ts';
import { ErrorAlert } from '../../ui/error-alert.tsx';

interface GateProps {
  /** The page is for this role only; the other role is sent to its own page. */
  role?: Participant['role'];
  children: (participant: Participant) => ReactNode;
}

/** Participant pages need a participant session (from the invitation link) and the live connection. */
export function ParticipantGate({ role, children }: GateProps) {
  const status = useAppStore((s) => s.participantStatus);
  const error = useAppStore((s) => s.participantError);
  const participant = useAppStore((s) => s.participant);
  const loadParticipant = useAppStore((s) => s.loadParticipant);
  const connectRealtime = useAppStore((s) => s.connectRealtime);

  useEffect(() => {
    void loadParticipant();
  }, [loadParticipant]);
  useEffect(() => {
    if (participant) connectRealtime();
  }, [participant, connectRealtime]);

  if (status === 'error') {
    return (
      <Narrow>
        <ErrorAlert
          title="Could not check your session"
          message={error ?? 'unknown error'}
          onRetry={() => void loadParticipant()}
        />
      </Narrow>
    );
  }
  if (status === 'none') {
    return (
      <Narrow>
        <Alert severity="info">
          <AlertTitle>Open your invitation link</AlertTitle>
          This page is for study participants. Please open the link you were given (for example on Prolific) to take
          part.
        </Alert>
      </Narrow>
    );
  }
  if (!participant) return <PageLoading label="Checking your session…" />;
  if (role && participant.role !== role) {
    return (
      <Narrow>
        <Alert
          severity="info"
          action={
            <Button color="inherit" onClick={() => navigate('/rate')}>
              Go to rating
            </Button>
          }
        >
          You joined this study as a rater, so there is nothing to play here.
        </Alert>
      </Narrow>
    );
  }
  return children(participant);
}

export function Narrow({ children }: { children: ReactNode }) {
  return <Box sx={{ maxWidth: 720, mx: 'auto', py: { xs: 2, md: 4 } }}>{children}</Box>;
}
