import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { KeyboardEvent, Ref } from 'react';
import { MAX_REPLY_CHARS } from '../../../../shared/protocol/live.ts';
import { useTranslation } from '../../i18n/index.ts';

interface ComposerProps {
  value: string;
  onChange: (text: string) => void;
  onSend: () => void;
  /** False while no question waits for a reply: the actor may type ahead, but nothing is sent. */
  canSend: boolean;
  /** Shown under the box: why sending is not possible now, or how to send. */
  hint: string;
  inputRef?: Ref<HTMLTextAreaElement>;
}

/** The reply box: Enter sends, Shift+Enter starts a new line. The box never disables, so focus is never lost. */
export function Composer({ value, onChange, onSend, canSend, hint, inputRef }: ComposerProps) {
  const { t } = useTranslation();
  const tooLong = value.length > MAX_REPLY_CHARS;
  const ready = canSend && value.trim() !== '' && !tooLong;

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    // An IME composing a character uses Enter to confirm it; that must not send.
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    if (ready) onSend();
  };

  return (
    <Box
      component="form"
      onSubmit={(e) => {
        e.preventDefault();
        if (ready) onSend();
      }}
      sx={{ display: 'flex', gap: 1, alignItems: 'flex-start' }}
    >
      <Box sx={{ flex: 1 }}>
        <TextField
          fullWidth
          multiline
          minRows={2}
          maxRows={6}
          label={t('composer.label')}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          onKeyDown={onKeyDown}
          error={tooLong}
          slotProps={{ htmlInput: { ref: inputRef, 'aria-describedby': 'composer-hint' } }}
          sx={{ bgcolor: 'background.paper' }}
        />
        <Typography
          id="composer-hint"
          variant="caption"
          color={tooLong ? 'error' : 'text.secondary'}
          sx={{ display: 'block', mt: 0.5, minHeight: '1.66em' }}
        >
          {tooLong ? t('composer.tooLong', { max: MAX_REPLY_CHARS, length: value.length }) : hint}
        </Typography>
      </Box>
      <Button type="submit" variant="contained" disabled={!ready} sx={{ mt: 1 }}>
        {t('composer.send')}
      </Button>
    </Box>
  );
}
