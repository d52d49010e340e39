import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { RichText } from '../../../ui/rich-text/rich-text.tsx';

export type Voice = 'model' | 'person' | 'twin' | 'user';

// The twin is drawn differently (dashed, tinted, italic label) as well as named, so it is never mistaken for the
// person's words, in colour or without it.
const STYLES: Record<Voice, { border: string; bg: string; borderStyle: string; label: string }> = {
  model: { border: 'grey.400', bg: 'grey.50', borderStyle: 'solid', label: 'text.secondary' },
  user: { border: 'primary.light', bg: 'background.paper', borderStyle: 'solid', label: 'primary.main' },
  person: { border: 'primary.main', bg: 'background.paper', borderStyle: 'solid', label: 'primary.main' },
  twin: { border: 'secondary.main', bg: 'rgba(138, 79, 125, 0.06)', borderStyle: 'dashed', label: 'secondary.main' },
};

interface BubbleProps {
  voice: Voice;
  label: string;
  text: string | null;
  /** Shown instead of the text while it has not arrived. */
  pending?: string;
  chips?: ReactNode;
}

/** One utterance in the researcher's transcript: who said it (in words), what, and any labels. */
export function Bubble({ voice, label, text, pending, chips }: BubbleProps) {
  const s = STYLES[voice];
  return (
    <Box
      component="figure"
      sx={{
        m: 0,
        p: 1.25,
        border: 1,
        borderStyle: s.borderStyle,
        borderColor: s.border,
        bgcolor: s.bg,
        borderRadius: 1.5,
        minWidth: 0,
      }}
    >
      <Typography
        component="figcaption"
        variant="caption"
        sx={{
          color: s.label,
          fontWeight: 600,
          fontStyle: voice === 'twin' ? 'italic' : 'normal',
          display: 'block',
          mb: 0.5,
        }}
      >
        {label}
      </Typography>
      {text === null ? (
        <Typography variant="body2" color="text.secondary" sx={{ fontStyle: 'italic' }}>
          {pending ?? '…'}
        </Typography>
      ) : (
        <Typography
          variant="body2"
          component="blockquote"
          sx={{ m: 0, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
        >
          {/* Model and simulated-user text is Markdown with math; the person's words are shown as typed. */}
          {text === '' ? '(empty)' : voice === 'person' ? text : <RichText text={text} />}
        </Typography>
      )}
      {chips && (
        <Stack direction="row" spacing={0.5} useFlexGap sx={{ flexWrap: 'wrap', mt: 0.75 }}>
          {chips}
        </Stack>
      )}
    </Box>
  );
}

/** What a reply was labelled as: preferences asked about, and values revealed. */
export function DisclosureChips({
  asked,
  revealed,
}: {
  asked: string[];
  revealed: { preference: string; value: string }[];
}) {
  return (
    <>
      {asked.map((a) => (
        <Chip key={`a-${a}`} size="small" variant="outlined" label={`asked: ${a}`} />
      ))}
      {revealed.map((r) => (
        <Chip
          key={`r-${r.preference}`}
          size="small"
          color="success"
          variant="outlined"
          label={`revealed: ${r.preference} = ${r.value}`}
        />
      ))}
    </>
  );
}
