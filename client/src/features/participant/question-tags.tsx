import Box from '@mui/material/Box';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import { QUESTION_TAGS } from '../../../../shared/protocol/live.ts';
import type { QuestionTag } from '../../store/play-log.ts';

const LABELS: Record<QuestionTag, string> = {
  relevant: 'Relevant',
  redundant: 'Redundant',
  premature: 'Premature',
  off_persona: 'Off-persona',
};

/** Key → tag, for the one-key tagging of a focused question. */
export const QUESTION_TAG_KEYS: Record<string, QuestionTag | undefined> = Object.fromEntries(
  QUESTION_TAGS.map((t, i) => [String(i + 1), t]),
);

/** Optional: what the actor thinks of one of the model's questions. The latest tag counts. */
export function QuestionTags({
  turn,
  tag,
  onTag,
}: {
  turn: number;
  tag: QuestionTag | null;
  onTag: (turn: number, tag: QuestionTag) => void;
}) {
  const labelId = `tag-label-${turn}`;
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', flexWrap: 'wrap', gap: 1, mt: 1 }}>
      <Typography id={labelId} variant="caption" color="text.secondary">
        Tag (optional, keys 1–4):
      </Typography>
      <ToggleButtonGroup
        size="small"
        exclusive
        value={tag}
        aria-labelledby={labelId}
        // Four buttons do not fit a phone-width bubble on one line.
        sx={{ flexWrap: 'wrap' }}
        // Tags cannot be withdrawn, only replaced: clicking the chosen one again keeps it.
        onChange={(_e, value: QuestionTag | null) => {
          if (value) onTag(turn, value);
        }}
      >
        {QUESTION_TAGS.map((t, i) => (
          <ToggleButton
            key={t}
            value={t}
            sx={{ py: 0, px: 1, textTransform: 'none', fontSize: '0.75rem', whiteSpace: 'nowrap' }}
          >
            {i + 1} {LABELS[t]}
          </ToggleButton>
        ))}
      </ToggleButtonGroup>
    </Box>
  );
}
