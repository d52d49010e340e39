import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useCallback, useEffect, useState } from 'react';
import { PageLoading } from '../../app/page-loading.tsx';
import { navigate } from '../../app/router.ts';
import { useTranslation } from '../../i18n/index.ts';
import { useAppStore } from '../../store/index.ts';
import { codeLead, outcomeMessage } from './outcome-text.ts';
import { Narrow } from './participant-gate.tsx';
import { useParticipantPreview } from './preview-context.ts';
import { ProlificRedirect } from './prolific-redirect.tsx';
import { mayCheckForMore } from './rater-progress.ts';
import { StepHeading } from './step-heading.tsx';
import { WaitingForWork } from './waiting-for-work.tsx';

const END_RETRIES = 3;

/**
 * The end: the completion code to enter on Prolific, when the study has one, then back to Prolific's completion URL
 * when the study set one. The server's stored end (GET /api/participant/journey) comes first, so the same code shows
 * on another device or after clearing the browser; this tab's memory is the fallback. A rater who is here only
 * because nothing is left to rate right now, in a study that says 'wait', gets the waiting page instead.
 */
export function DonePage() {
  const { t } = useTranslation();
  const preview = useParticipantPreview();
  const finish = useAppStore((s) => s.finish);
  const storedRole = useAppStore((s) => s.participant?.role);
  const nextTask = useAppStore((s) => s.nextTask);
  const storedJourney = useAppStore((s) => s.journey);
  const storedStatus = useAppStore((s) => s.journeyStatus);
  const loadStoredJourney = useAppStore((s) => s.loadJourney);
  // A preview has no participant: the journey (with the end being looked at) comes from it, and nothing is asked.
  const role = preview ? preview.role : storedRole;
  const journey = preview ? preview.journey : storedJourney;
  const journeyStatus = preview ? 'ready' : storedStatus;
  const loadJourney = useCallback(async () => {
    if (!preview) await loadStoredJourney();
  }, [preview, loadStoredJourney]);
  const ratingCounts = useAppStore((s) => s.ratingCounts);

  useEffect(() => {
    // Always asked again: the end may have been stored just now (the last rating, a self-rating).
    void loadJourney();
  }, [loadJourney]);

  // An actor whose episode just ended without them may arrive before the server has stored that end (it is stored
  // after the episode's last event): ask again a few times, so the timed-out code's return link is not missed.
  const [retries, setRetries] = useState(0);
  const waitingForEnd = journeyStatus === 'ready' && !journey?.outcome && finish !== null && role === 'actor';
  useEffect(() => {
    if (!waitingForEnd || retries >= END_RETRIES) return;
    const timer = window.setTimeout(() => {
      setRetries((n) => n + 1);
      void loadJourney();
    }, 1500);
    return () => window.clearTimeout(timer);
  }, [waitingForEnd, retries, loadJourney]);

  if (journey === null && (journeyStatus === 'idle' || journeyStatus === 'loading')) {
    return <PageLoading label={t('done.loading')} />;
  }
  const outcome = journey?.outcome ?? null;
  if (role === 'rater' && journey && !outcome && journey.outOfWork.policy === 'wait') {
    return <WaitingForWork minutes={journey.outOfWork.waitMinutes} />;
  }
  const code = outcome ? outcome.completionCode : (finish?.completionCode ?? null);
  const message = outcome ? outcomeMessage(outcome.outcome) : (finish?.message ?? t('done.finishedPart'));
  const url = outcome?.completionUrl ?? null;
  // Nothing more to do after a screen-out; elsewhere more work may come (another play, new answers to rate).
  const more = outcome?.outcome !== 'screened_out';
  // A rater whose quota is met has nothing more to ask for: offering to check would promise work that cannot come.
  const quotaMet = outcome?.outcome === 'completed' || outcome?.outcome === 'failed_attention';
  const raterMayAskMore = !quotaMet && mayCheckForMore(ratingCounts);

  return (
    <Narrow>
      <Card component="section" aria-labelledby="done-title">
        <CardContent>
          <Stack spacing={2}>
            <StepHeading id="done-title" title={code && more ? t('done.allDone') : t('done.thankYou')} />
            <Typography>{message}</Typography>
            {code ? (
              <CompletionCode code={code} lead={codeLead(outcome?.outcome ?? null)} />
            ) : (
              !url && <Typography color="text.secondary">{t('done.noCode')}</Typography>
            )}
            {url && <ProlificRedirect url={url} />}
            {more && (
              <Box>
                {role === 'actor' && (journey?.playsLeft ?? 1) > 0 && (
                  <Button
                    variant={code ? 'text' : 'outlined'}
                    onClick={preview ? () => preview.advance('more') : nextTask}
                  >
                    {t('done.anotherTask')}
                  </Button>
                )}
                {role === 'rater' && raterMayAskMore && (
                  <Button
                    variant={code ? 'text' : 'outlined'}
                    onClick={preview ? () => preview.advance('more') : () => navigate('/rate')}
                  >
                    {t('done.moreToRate')}
                  </Button>
                )}
              </Box>
            )}
          </Stack>
        </CardContent>
      </Card>
    </Narrow>
  );
}

function CompletionCode({ code, lead }: { code: string; lead: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = (): void => {
    // The clipboard needs https or localhost; elsewhere the code is still selectable by hand.
    if (!navigator.clipboard) return setCopied('failed');
    navigator.clipboard.writeText(code).then(
      () => setCopied('yes'),
      () => setCopied('failed'),
    );
  };
  return (
    <Alert role="status" severity="success" icon={false}>
      <Typography>{lead}</Typography>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, mt: 1, flexWrap: 'wrap' }}>
        <Typography
          component="output"
          aria-label={t('done.codeLabel')}
          sx={{ fontFamily: 'monospace', fontSize: '1.6rem', fontWeight: 700, letterSpacing: 2, userSelect: 'all' }}
        >
          {code}
        </Typography>
        <Button variant="outlined" size="small" onClick={copy}>
          {copied === 'yes' ? t('done.copied') : t('done.copy')}
        </Button>
      </Box>
      {copied === 'failed' && <Typography variant="caption">{t('done.copyUnavailable')}</Typography>}
    </Alert>
  );
}
