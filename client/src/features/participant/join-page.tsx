import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import { useEffect } from 'react';
import { PageLoading } from '../../app/page-loading.tsx';
import { prolificParams } from '../../app/router.ts';
import { useAppStore } from '../../store/index.ts';
import { ConsentStep } from './consent-step.tsx';
import { InstructionsStep } from './instructions-step.tsx';
import { Narrow } from './participant-gate.tsx';
import { PracticeRound } from './practice-round.tsx';

/**
 * The invitation link: joins the study with the link's Prolific parameters (POST /api/join/:code sets the session
 * cookie), then consent, instructions and, for persona actors, a practice round before the real task.
 */
export function JoinPage({ code }: { code: string }) {
  const step = useAppStore((s) => s.joinStep);
  const error = useAppStore((s) => s.joinError);
  const role = useAppStore((s) => s.participant?.role ?? null);
  const joinWithInvite = useAppStore((s) => s.joinWithInvite);

  useEffect(() => {
    // The query stays in the address bar: a reload joins again with the same Prolific ids (and resumes).
    void joinWithInvite(code, prolificParams(window.location.search));
  }, [code, joinWithInvite]);

  switch (step) {
    case 'idle':
    case 'joining':
      return <PageLoading label="Opening your invitation…" />;
    case 'failed':
      return (
        <Narrow>
          <Alert severity="error">
            <AlertTitle>Could not open this invitation</AlertTitle>
            {error}
          </Alert>
        </Narrow>
      );
    case 'consent':
      return <ConsentStep />;
    case 'instructions':
      return <InstructionsStep role={role ?? 'actor'} />;
    case 'practice':
      return <PracticeRound />;
  }
}
