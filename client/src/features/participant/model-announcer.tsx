import Box from '@mui/material/Box';
import { useTranslation } from '../../i18n/index.ts';
import { useAppStore } from '../../store/index.ts';
import { messagesOf } from '../../store/play-log.ts';
import { RichText } from '../../ui/rich-text/rich-text.tsx';
import { visuallyHidden } from '../../ui/visually-hidden.ts';

/**
 * Tells screen-reader users when a model turn is complete: once per whole message, never per streamed token
 * (the streaming bubble itself is aria-busy). The message goes through the same renderer as the chat, so math is read
 * from KaTeX's MathML rather than as TeX source ("backslash frac…").
 */
export function ModelAnnouncer() {
  const { t } = useTranslation();
  const last = useAppStore((s) => messagesOf(s.playLog.events).findLast((m) => m.role === 'assistant') ?? null);
  const asks = last !== null && last.kind === 'question' && !last.final;
  return (
    // `style`, not `sx`: in sx a width of 1 means 100%, which pushed the page 15 px wider than a phone's screen.
    <Box aria-live="polite" aria-atomic style={visuallyHidden}>
      {last && (
        <>
          {t(asks ? 'chat.modelAsks' : 'chat.modelFinal')} <RichText inline text={last.text} />
        </>
      )}
    </Box>
  );
}
