import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Stack from '@mui/material/Stack';
import { useId, useState } from 'react';
import type { TranscriptTurn } from '../../../../shared/schemas/live-study.ts';
import { MessageBubble } from './message-bubble.tsx';

/** The conversation before the answer, on demand: most raters judge the answer alone. */
export function TranscriptToggle({ turns }: { turns: TranscriptTurn[] }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <Card component="section" aria-label="Conversation before the answer">
      <CardContent>
        <Button onClick={() => setOpen(!open)} aria-expanded={open} aria-controls={id}>
          {open ? 'Hide the conversation' : `Show the conversation (${turns.length} messages)`}
        </Button>
        <Stack id={id} spacing={1} hidden={!open} sx={{ mt: 1, display: open ? 'flex' : 'none' }}>
          {turns.map((t, i) => (
            <MessageBubble
              key={i}
              side={t.role === 'assistant' ? 'model' : 'actor'}
              header={t.role === 'assistant' ? 'Assistant' : 'User'}
              text={t.content}
            />
          ))}
        </Stack>
      </CardContent>
    </Card>
  );
}
