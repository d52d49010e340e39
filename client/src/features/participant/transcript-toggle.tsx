import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Stack from '@mui/material/Stack';
import { useId, useState } from 'react';
import type { TranscriptTurn } from '../../../../shared/schemas/live-study.ts';
import { MessageBubble } from './message-bubble.tsx';
import { useTranslation } from '../../i18n/index.ts';

/** The conversation before the answer, on demand: most raters judge the answer alone. */
export function TranscriptToggle({ turns }: { turns: TranscriptTurn[] }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <Card component="section" aria-label={t('transcript.label')}>
      <CardContent>
        <Button onClick={() => setOpen(!open)} aria-expanded={open} aria-controls={id}>
          {open ? t('transcript.hide') : t('transcript.show', { count: turns.length })}
        </Button>
        <Stack id={id} spacing={1} hidden={!open} sx={{ mt: 1, display: open ? 'flex' : 'none' }}>
          {turns.map((turn, i) => (
            <MessageBubble
              key={i}
              side={turn.role === 'assistant' ? 'model' : 'actor'}
              header={turn.role === 'assistant' ? t('transcript.assistant') : t('transcript.user')}
              text={turn.content}
            />
          ))}
        </Stack>
      </CardContent>
    </Card>
  );
}
