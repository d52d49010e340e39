import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import { useMemo } from 'react';
import { useTranslation } from '../../i18n/index.ts';
import { useAppStore } from '../../store/index.ts';
import { shownMessagesOf, tagsOf } from '../../store/play-log.ts';
import { ChatMessage } from './chat-message.tsx';
import { MessageBubble } from './message-bubble.tsx';
import { textAt } from './persona-facts.ts';
import { StreamingBubble } from './streaming-bubble.tsx';

/**
 * The conversation. Subscribes to the stored events only, so a streamed token re-renders the streaming bubble and
 * nothing else. The scroll box is reversed (column-reverse) so it stays pinned to the newest line as text grows,
 * without script, and a person who scrolled up to reread is not pulled down.
 */
export function ChatLog() {
  const { t } = useTranslation();
  const events = useAppStore((s) => s.playLog.events);
  const pendingTags = useAppStore((s) => s.pendingTags);
  const maxTurns = useAppStore((s) => s.episode?.maxTurns ?? 0);
  const speaker = useAppStore((s) => (s.episode ? textAt(s.episode.persona, 'name') : null)) ?? t('chat.yourPersona');
  const messages = useMemo(() => shownMessagesOf(events), [events]);
  const tags = useMemo(() => tagsOf(events), [events]);

  return (
    <Box
      component="section"
      aria-label={t('chat.conversation')}
      tabIndex={0}
      sx={{
        flex: 1,
        minHeight: 240,
        overflowY: 'auto',
        display: 'flex',
        flexDirection: 'column-reverse',
        bgcolor: '#eef2f6',
        borderRadius: 2,
      }}
    >
      <Stack spacing={1.5} sx={{ p: { xs: 1.5, md: 2 } }}>
        {messages.map((m) => (
          <ChatMessage
            key={m.seq}
            message={m}
            maxTurns={maxTurns}
            speaker={speaker}
            tag={pendingTags[m.turn] ?? tags.get(m.turn) ?? null}
          />
        ))}
        <PendingReplies speaker={speaker} />
        <StreamingBubble />
      </Stack>
    </Box>
  );
}

/** Replies sent and not yet acknowledged: shown at once, marked as on their way. */
function PendingReplies({ speaker }: { speaker: string }) {
  const { t } = useTranslation();
  const outbox = useAppStore((s) => s.outbox);
  const online = useAppStore((s) => s.connection === 'connected');
  return outbox.map((r) => (
    <MessageBubble
      key={r.clientMessageId}
      side="actor"
      header={t('chat.youAs', { name: speaker })}
      text={r.text}
      footer={
        <Box
          component="span"
          role="status"
          sx={{ display: 'block', mt: 0.5, fontSize: '0.75rem', color: 'text.secondary' }}
        >
          {online ? t('chat.sending') : t('chat.waitingForConnection')}
        </Box>
      }
    />
  ));
}
