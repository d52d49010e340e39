import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import { useEffect, type ReactNode } from 'react';
import { PageLoading } from '../../app/page-loading.tsx';
import { navigate } from '../../app/router.ts';
import { useTranslation } from '../../i18n/index.ts';
import { useAppStore } from '../../store/index.ts';
import type { Participant } from '../../store/participant-slice.ts';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { ActionNotice } from './action-notice.tsx';
import { TabNotice } from './tab-notice.tsx';

interface GateProps {
  /** The page is for this role only; the other role is sent to its own page. */
  role?: Participant['role'];
  children: (participant: Participant) => ReactNode;
}

/** Participant pages need a participant session (from the invitation link) and the live connection. */
export function ParticipantGate({ role, children }: GateProps) {
  const { t } = useTranslation();
  const status = useAppStore((s) => s.participantStatus);
  const error = useAppStore((s) => s.participantError);
  const participant = useAppStore((s) => s.participant);
  const loadParticipant = useAppStore((s) => s.loadParticipant);
  const connectRealtime = useAppStore((s) => s.connectRealtime);
  const connection = useAppStore((s) => s.connection);
  // The journey carries the study's participant language: pages wait for it rather than flash English first.
  const journeyStatus = useAppStore((s) => s.journeyStatus);
  const journeyKnown = useAppStore((s) => s.journey !== null);
  const loadJourney = useAppStore((s) => s.loadJourney);

  useEffect(() => {
    void loadParticipant();
  }, [loadParticipant]);
  useEffect(() => {
    if (participant) connectRealtime();
  }, [participant, connectRealtime]);
  useEffect(() => {
    if (participant && journeyStatus === 'idle') void loadJourney();
  }, [participant, journeyStatus, loadJourney]);

  if (status === 'error') {
    return (
      <Narrow>
        <ErrorAlert
          title={t('gate.sessionCheckFailed')}
          message={error ?? t('errors.internal')}
          onRetry={() => void loadParticipant()}
        />
      </Narrow>
    );
  }
  if (status === 'none') {
    return (
      <Narrow>
        <Alert role="note" severity="info">
          <AlertTitle>{t('gate.openInviteTitle')}</AlertTitle>
          {t('gate.openInviteText')}
        </Alert>
      </Narrow>
    );
  }
  if (!participant) return <PageLoading label={t('gate.checkingSession')} />;
  if (!journeyKnown && (journeyStatus === 'idle' || journeyStatus === 'loading'))
    return <PageLoading label={t('gate.loadingStudy')} />;
  if (role && participant.role !== role) {
    return (
      <Narrow>
        <ActionNotice action={t('gate.goToRating')} onAction={() => navigate('/rate')}>
          {t('gate.raterNotActor')}
        </ActionNotice>
      </Narrow>
    );
  }
  // Another tab has the task (or took it from this one): say so instead of showing a task this tab cannot send.
  if (connection === 'elsewhere' || connection === 'taken_over') return <TabNotice state={connection} />;
  return children(participant);
}

export function Narrow({ children }: { children: ReactNode }) {
  return <Box sx={{ maxWidth: 720, mx: 'auto', py: { xs: 2, md: 4 } }}>{children}</Box>;
}
