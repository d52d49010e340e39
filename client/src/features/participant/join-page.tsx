import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import { useEffect } from 'react';
import { takeEarlyJoin } from '../../app/early-join.ts';
import { PageLoading } from '../../app/page-loading.tsx';
import { prolificParams } from '../../app/router.ts';
import { useTranslation } from '../../i18n/index.ts';
import { useAppStore } from '../../store/index.ts';
import { DeclinedStep } from './declined-step.tsx';
import { ConsentStep } from './consent-step.tsx';
import { InstructionsStep } from './instructions-step.tsx';
import { Narrow } from './participant-gate.tsx';
import { PracticeRound } from './practice-round.tsx';
import { ScreeningStep } from './screening-step.tsx';

/**
 * The invitation link: joins the study with the link's Prolific parameters (POST /api/join/:code sets the session
 * cookie), then the screening question (if the study asks one), consent, instructions and, for persona actors, a
 * practice round before the real task. Someone whose task has ended (stored on the server) goes to the done page.
 */
export function JoinPage({ code }: { code: string }) {
  const { t } = useTranslation();
  const step = useAppStore((s) => s.joinStep);
  const error = useAppStore((s) => s.joinError);
  const role = useAppStore((s) => s.participant?.role ?? null);
  const joinWithInvite = useAppStore((s) => s.joinWithInvite);

  useEffect(() => {
    // main.tsx started this join before the first render (app/early-join.ts): it is under way or done.
    if (takeEarlyJoin(code)) return;
    // The query stays in the address bar: a reload joins again with the same Prolific ids (and resumes).
    void joinWithInvite(code, prolificParams(window.location.search));
  }, [code, joinWithInvite]);

  switch (step) {
    case 'idle':
    case 'joining':
      return <PageLoading label={t('join.opening')} />;
    case 'failed':
      return (
        <Narrow>
          <Alert severity="error">
            {/* The page's one heading: a refused link shows nothing else. */}
            <AlertTitle component="h1">{t('join.failedTitle')}</AlertTitle>

            {error}
          </Alert>
        </Narrow>
      );
    case 'screening':
      return <ScreeningStep />;
    case 'consent':
      return <ConsentStep role={role ?? 'actor'} />;
    case 'declined':
      return <DeclinedStep />;
    case 'instructions':
      return <InstructionsStep role={role ?? 'actor'} />;
    case 'practice':
      return <PracticeRound />;
  }
}
