import Box from '@mui/material/Box';
import { useAppStore } from '../../store/index.ts';
import { messagesOf } from '../../store/play-log.ts';

/**
 * Tells screen-reader users when a model turn is complete: once per whole message, never per streamed token
 * (the streaming bubble itself is aria-busy).
 */
export function ModelAnnouncer() {
  const announcement = useAppStore((s) => {
    const last = messagesOf(s.playLog.events).findLast((m) => m.role === 'assistant');
    if (!last) return '';
    return last.kind === 'question' && !last.final
      ? `The model asks: ${last.text}`
      : `The model gave its final answer: ${last.text}`;
  });
  return (
    <Box aria-live="polite" aria-atomic sx={visuallyHidden}>
      {announcement}
    </Box>
  );
}

export const visuallyHidden = {
  position: 'absolute',
  width: 1,
  height: 1,
  p: 0,
  m: '-1px',
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
  border: 0,
} as const;
