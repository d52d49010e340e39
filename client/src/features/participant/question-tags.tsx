import { useTranslation } from '../../i18n/index.ts';
import Box from '@mui/material/Box';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import { QUESTION_TAGS } from '../../../../shared/protocol/live.ts';
import type { QuestionTag } from '../../store/play-log.ts';

/** Key → tag, for the one-key tagging of a focused question. */
export const QUESTION_TAG_KEYS: Record<string, QuestionTag | undefined> = Object.fromEntries(
  QUESTION_TAGS.map((t, i) => [String(i + 1), t]),
);

/** The parts of a key press that decide whether it tags the focused question. */
export interface TagKeyPress {
  key: string;
  target: unknown;
  currentTarget: unknown;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
}

/**
 * The tag a key press on a focused question asks for, or null: only a digit pressed on the question itself counts, so
 * a key meant for a tag button inside it, or a shortcut with a modifier, is left alone.
 */
export function tagForKey(press: TagKeyPress): QuestionTag | null {
  if (press.target !== press.currentTarget || press.altKey || press.ctrlKey || press.metaKey) return null;
  return QUESTION_TAG_KEYS[press.key] ?? null;
}

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
  const { t } = useTranslation();
  const labelId = `tag-label-${turn}`;
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', flexWrap: 'wrap', gap: 1, mt: 1 }}>
      <Typography id={labelId} variant="caption" color="text.secondary">
        {t('tags.label')}
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
        {QUESTION_TAGS.map((tag, i) => (
          <ToggleButton
            key={tag}
            value={tag}
            sx={{ py: 0, px: 1, textTransform: 'none', fontSize: '0.75rem', whiteSpace: 'nowrap' }}
          >
            {`${i + 1} ${t(`tags.${tag}`)}`}
          </ToggleButton>
        ))}
      </ToggleButtonGroup>
    </Box>
  );
}
