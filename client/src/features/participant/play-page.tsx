import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useEffect, useRef } from 'react';
import { PageLoading } from '../../app/page-loading.tsx';
import { navigate } from '../../app/router.ts';
import { useTranslation } from '../../i18n/index.ts';
import { useAppStore } from '../../store/index.ts';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { ChatLog } from './chat-log.tsx';
import { FinishedNotice } from './finished-notice.tsx';
import { focusIfLost } from './focus-if-lost.ts';
import { IdleWarning } from './idle-warning.tsx';
import { StorageNotice } from './storage-notice.tsx';
import { LiveComposer } from './live-composer.tsx';
import { InstructionsDrawer } from './instructions-drawer.tsx';
import { ModelAnnouncer } from './model-announcer.tsx';
import { Narrow } from './participant-gate.tsx';
import { PersonaPanel } from './persona-panel.tsx';
import { PhonePersonaDrawer } from './phone-persona-drawer.tsx';
import { PreferenceList } from './preference-list.tsx';
import { TurnCounter } from './turn-counter.tsx';
import { usePhoneLayout } from './use-phone-layout.ts';
import { useStartPlay } from './use-start-play.ts';

/**
 * Live play: the persona on the left, the conversation with the model on the right. On a phone the conversation fills
 * the screen and the persona opens over it from a button above the chat (docs/live-play.md).
 */
export function PlayPage() {
  const { t } = useTranslation();
  const episode = useAppStore((s) => s.episode);
  const phase = useAppStore((s) => s.playPhase);
  const error = useAppStore((s) => s.playError);
  const startPlay = useAppStore((s) => s.startPlay);
  const phone = usePhoneLayout();
  useStartPlay();

  if (!episode) {
    if (phase === 'error')
      return (
        <Narrow>
          <ErrorAlert
            title={t('play.startFailed')}
            message={error ?? t('errors.internal')}
            onRetry={() => void startPlay()}
          />
        </Narrow>
      );
    return <PageLoading label={t('play.preparing')} />;
  }
  if (phase === 'done') return <FinishedNotice />;
  // What the actor plays: beside the chat on a wide screen, in a drawer one tap from it on a phone, where the
  // instructions come last so the hidden preferences are near the top.
  const instructions = episode.instructions.trim() !== '' && (
    <Alert role="note" severity="info" icon={false}>
      <Typography variant="h4" component="h2" gutterBottom>
        {t('play.studyInstructions')}
      </Typography>
      <Typography variant="body2" sx={{ whiteSpace: 'pre-wrap' }}>
        {episode.instructions}
      </Typography>
    </Alert>
  );
  const brief = (
    <>
      <PersonaPanel persona={episode.persona} title={t('play.youArePlaying')} />
      <PreferenceList preferences={episode.preferences} hidden />
    </>
  );
  return (
    <Box
      sx={{
        display: 'grid',
        gap: 2,
        gridTemplateColumns: { xs: '1fr', md: 'minmax(280px, 380px) 1fr' },
        alignItems: 'start',
      }}
    >
      {!phone && (
        <Stack
          component="aside"
          spacing={2}
          aria-label={t('play.personaRegion')}
          sx={{
            '& > *': { flexShrink: 0 },
            maxHeight: 'calc(100vh - 96px)',
            overflowY: 'auto',
            position: 'sticky',
            top: 72,
          }}
        >
          {instructions}
          {brief}
        </Stack>
      )}
      <Box
        component="section"
        aria-labelledby="chat-title"
        sx={{
          display: 'flex',
          flexDirection: 'column',
          gap: 1.5,
          // A phone: the chat is the page (the bar above is 48 px, the page's padding 2 × 16 px), so the persona
          // button and the reply box are on screen together; dvh follows the browser's own bars.
          height: { xs: 'calc(100dvh - 80px)', md: 'calc(100vh - 96px)' },
          minHeight: { xs: 420, md: 0 },
        }}
      >
        <Box
          sx={{ display: 'flex', justifyContent: 'space-between', alignItems: 'flex-end', gap: 2, flexWrap: 'wrap' }}
        >
          <Typography
            id="chat-title"
            variant="h2"
            component="h1"
            tabIndex={-1}
            ref={focusIfLost}
            sx={{ outline: 'none' }}
          >
            {t('play.chatTitle')}
          </Typography>
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
            {phone && (
              <PhonePersonaDrawer>
                {brief}
                {instructions}
              </PhonePersonaDrawer>
            )}
            <TurnCounter />
            <InstructionsDrawer role="actor" />
          </Box>
        </Box>
        <ChatLog />
        <ModelAnnouncer />
        <PlayFooter />
      </Box>
    </Box>
  );
}

/** Under the chat: warnings, then the reply box, or the way on to rating once the model has answered. */
function PlayFooter() {
  const phase = useAppStore((s) => s.playPhase);
  const replyError = useAppStore((s) => s.replyError);
  const tagError = useAppStore((s) => s.tagError);
  const dismiss = useAppStore((s) => s.dismissPlayErrors);
  return (
    <Box>
      <StorageNotice />
      <IdleWarning />
      {(replyError || tagError) && (
        <Alert severity="error" onClose={dismiss} sx={{ mb: 1 }}>
          {replyError ?? tagError}
        </Alert>
      )}
      {phase === 'answered' ? <AnsweredNotice /> : <LiveComposer />}
    </Box>
  );
}

function AnsweredNotice() {
  const { t } = useTranslation();
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    button.current?.focus();
  }, []);
  return (
    <Alert
      role="status"
      severity="success"
      action={
        <Button ref={button} variant="contained" color="success" onClick={() => navigate('/rate')}>
          {t('play.rateAnswer')}
        </Button>
      }
    >
      {t('play.answeredNotice')}
    </Alert>
  );
}
