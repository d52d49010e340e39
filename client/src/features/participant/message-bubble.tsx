import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { memo, type KeyboardEvent, type ReactNode } from 'react';
import { RichText } from '../../ui/rich-text/rich-text.tsx';

interface BubbleProps {
  side: 'model' | 'actor';
  /** One line above the text: who speaks and, for the model, which question this is. */
  header: ReactNode;
  text: string;
  /** While streaming: an empty text shows "writing" dots in the space the first line will take. */
  streaming?: boolean;
  /** Under the text: the send status of a reply, the tags of a question. */
  footer?: ReactNode;
  /** Makes the bubble a keyboard stop (questions: keys 1–4 tag them). */
  onKeyDown?: (event: KeyboardEvent<HTMLElement>) => void;
  label?: string;
}

/**
 * One turn of the chat. The streamed turn and the stored message use this same component with the same box, so
 * when the whole message replaces the stream nothing moves.
 */
export const MessageBubble = memo(function MessageBubble({
  side,
  header,
  text,
  streaming,
  footer,
  onKeyDown,
  label,
}: BubbleProps) {
  const model = side === 'model';
  return (
    <Box
      component="article"
      aria-label={label}
      aria-busy={streaming || undefined}
      tabIndex={onKeyDown ? 0 : undefined}
      onKeyDown={onKeyDown}
      sx={{
        alignSelf: model ? 'flex-start' : 'flex-end',
        maxWidth: { xs: '92%', md: '80%' },
        px: 2,
        py: 1.25,
        borderRadius: 2,
        border: 1,
        borderColor: model ? 'divider' : 'transparent',
        bgcolor: model ? 'background.paper' : '#dbe9f5',
        borderTopLeftRadius: model ? 4 : undefined,
        borderTopRightRadius: model ? undefined : 4,
      }}
    >
      <Typography variant="caption" component="p" sx={{ color: 'text.secondary', fontWeight: 600, mb: 0.25 }}>
        {header}
      </Typography>
      <Typography component="div" sx={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', minHeight: '1.5em' }}>
        {/* The model's words are Markdown with math; a person's reply is shown exactly as they typed it. */}
        {model ? <RichText text={text} /> : text}
        {streaming && (text === '' ? <WritingDots /> : <Caret />)}
      </Typography>
      {footer}
    </Box>
  );
});

const blink = { '@keyframes pd-blink': { '50%': { opacity: 0 } } };

function Caret() {
  return (
    <Box
      component="span"
      aria-hidden
      sx={{
        ...blink,
        display: 'inline-block',
        width: '0.5em',
        height: '1em',
        ml: 0.25,
        verticalAlign: 'text-bottom',
        bgcolor: 'text.secondary',
        animation: 'pd-blink 1s steps(1) infinite',
      }}
    />
  );
}

// A drawn dot, not a word: nothing to translate.
const DOT = '●';

function WritingDots() {
  return (
    <Box
      component="span"
      aria-hidden
      sx={{ '@keyframes pd-dot': { '0%, 80%, 100%': { opacity: 0.2 }, '40%': { opacity: 1 } }, letterSpacing: 2 }}
    >
      {[0, 1, 2].map((i) => (
        <Box key={i} component="span" sx={{ animation: 'pd-dot 1.2s infinite', animationDelay: `${i * 0.2}s` }}>
          {DOT}
        </Box>
      ))}
    </Box>
  );
}
