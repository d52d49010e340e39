import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useEffect, useRef } from 'react';
import { PageLoading } from '../../app/page-loading.tsx';
import { navigate } from '../../app/router.ts';
import { useAppStore } from '../../store/index.ts';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { ChatLog } from './chat-log.tsx';
import { FinishedNotice } from './finished-notice.tsx';
import { IdleWarning } from './idle-warning.tsx';
import { LiveComposer } from './live-composer.tsx';
import { ModelAnnouncer } from './model-announcer.tsx';
import { Narrow } from './participant-gate.tsx';
import { PersonaPanel } from './persona-panel.tsx';
import { PreferenceList } from './preference-list.tsx';
import { TurnCounter } from './turn-counter.tsx';
import { useStartPlay } from './use-start-play.ts';

/** Live play: the persona on the left, the conversation with the model on the right. */
export function PlayPage() {
  const episode = useAppStore((s) => s.episode);
  const phase = useAppStore((s) => s.playPhase);
  const error = useAppStore((s) => s.playError);
  const startPlay = useAppStore((s) => s.startPlay);
  useStartPlay();

  if (!episode) {
    if (phase === 'error')
      return (
        <Narrow>
          <ErrorAlert
            title="Could not start your task"
            message={error ?? 'unknown error'}
            onRetry={() => void startPlay()}
          />
        </Narrow>
      );
    return <PageLoading label="Preparing your task…" />;
  }
  if (phase === 'done') return <FinishedNotice />;
  return (
    <Box
      sx={{
        display: 'grid',
        gap: 2,
        gridTemplateColumns: { xs: '1fr', md: 'minmax(280px, 380px) 1fr' },
        alignItems: 'start',
      }}
    >
      <Stack
        component="aside"
        spacing={2}
        aria-label="Your persona"
        sx={{
          '& > *': { flexShrink: 0 },
          order: { xs: 2, md: 1 },
          maxHeight: { md: 'calc(100vh - 96px)' },
          overflowY: { md: 'auto' },
          position: { md: 'sticky' },
          top: { md: 72 },
        }}
      >
        {episode.instructions.trim() !== '' && (
          <Alert severity="info" icon={false}>
            <Typography variant="h4" component="h2" gutterBottom>
              Study instructions
            </Typography>
            <Typography variant="body2" sx={{ whiteSpace: 'pre-wrap' }}>
              {episode.instructions}
            </Typography>
          </Alert>
        )}
        <PersonaPanel persona={episode.persona} title="You are playing" />
        <PreferenceList preferences={episode.preferences} hidden />
      </Stack>
      <Box
        component="section"
        aria-labelledby="chat-title"
        sx={{
          order: { xs: 1, md: 2 },
          display: 'flex',
          flexDirection: 'column',
          gap: 1.5,
          height: { xs: '75vh', md: 'calc(100vh - 96px)' },
        }}
      >
        <Box
          sx={{ display: 'flex', justifyContent: 'space-between', alignItems: 'flex-end', gap: 2, flexWrap: 'wrap' }}
        >
          <Typography id="chat-title" variant="h2" component="h1">
            Chat with the model
          </Typography>
          <TurnCounter />
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
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    button.current?.focus();
  }, []);
  return (
    <Alert
      severity="success"
      action={
        <Button ref={button} variant="contained" color="success" onClick={() => navigate('/rate')}>
          Rate the answer
        </Button>
      }
    >
      The model has given its final answer. Read it above, then rate it as the person you played.
    </Alert>
  );
}
