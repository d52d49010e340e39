import Box from '@mui/material/Box';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Typography from '@mui/material/Typography';
import { memo, type KeyboardEvent } from 'react';
import { t, useTranslation } from '../../i18n/index.ts';
import { RichText } from '../../ui/rich-text/rich-text.tsx';

export interface RubricCriterion {
  preference: string;
  description: string;
  weight?: number;
  levels: { score: number; description: string }[];
}

const SCORES = [1, 2, 3, 4, 5] as const;

/** The level description for a score; rubrics often describe only 1, 3 and 5, so the others say where they sit. */
function levelText(levels: RubricCriterion['levels'], score: number): { text: string; described: boolean } {
  const exact = levels.find((l) => l.score === score);
  if (exact) return { text: exact.description, described: true };
  const below = levels.filter((l) => l.score < score).at(-1);
  const above = levels.find((l) => l.score > score);
  if (below && above) return { text: t('rating.between', { low: below.score, high: above.score }), described: false };
  return { text: score < 3 ? t('rating.lowerEnd') : t('rating.upperEnd'), described: false };
}

interface ScaleProps {
  criterion: RubricCriterion;
  index: number;
  value: number | null;
  invalid: boolean;
  onChange: (preference: string, score: number) => void;
  /** A score was typed with a digit key: the form moves focus to the next criterion. */
  onPicked: (index: number) => void;
}

/**
 * One rubric criterion as a native radio group with one Tab stop: Tab enters and leaves it, arrows change the score,
 * and keys 1–5 set it and move on. `data-scale` lets the form move focus between groups.
 */
export const CriterionScale = memo(function CriterionScale({
  criterion,
  index,
  value,
  invalid,
  onChange,
  onPicked,
}: ScaleProps) {
  useTranslation(); // the level texts and title follow the participant's language
  const labelId = `criterion-${index}-label`;

  // Roving tabindex: one Tab stop per criterion (its score, or 1 while unscored), so Tab moves between criteria as the
  // form says; arrows move within. Left to the browser, Tab walked through all five radios of an unscored criterion.
  const tabStop = value ?? SCORES[0];
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (!/^[1-5]$/.test(event.key) || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    onChange(criterion.preference, Number(event.key));
    onPicked(index);
  };
  return (
    <FormControl
      component="fieldset"
      error={invalid}
      data-scale={index}
      sx={{
        scrollMarginTop: 112,
        width: '100%',
        border: 1,
        borderColor: invalid ? 'error.main' : 'divider',
        borderRadius: 2,
        p: 1.5,
      }}
    >
      <FormLabel
        component="legend"
        id={labelId}
        sx={{ px: 0.5, color: 'text.primary', fontWeight: 600, '&.Mui-focused': { color: 'text.primary' } }}
      >
        {t('rating.criterionTitle', { number: index + 1, name: criterion.preference })}
      </FormLabel>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        <RichText text={criterion.description} inline />
      </Typography>
      <RadioGroup
        aria-labelledby={labelId}
        value={value === null ? '' : String(value)}
        onChange={(_e, v) => onChange(criterion.preference, Number(v))}
        onKeyDown={onKeyDown}
      >
        {SCORES.map((score) => {
          const level = levelText(criterion.levels, score);
          return (
            <FormControlLabel
              key={score}
              value={String(score)}
              control={
                <Radio size="small" sx={{ py: 0.5 }} slotProps={{ input: { tabIndex: score === tabStop ? 0 : -1 } }} />
              }
              sx={{
                alignItems: 'flex-start',
                mx: 0,
                borderRadius: 1,
                '&:hover': { bgcolor: 'action.hover' },
                bgcolor: value === score ? 'rgba(31,95,139,0.08)' : undefined,
              }}
              label={
                <Box sx={{ display: 'flex', gap: 1, py: 0.5 }}>
                  <Typography component="span" sx={{ fontWeight: 700, minWidth: '1ch' }}>
                    {score}
                  </Typography>
                  <Typography
                    component="span"
                    variant="body2"
                    sx={{
                      color: level.described ? 'text.primary' : 'text.secondary',
                      fontStyle: level.described ? undefined : 'italic',
                    }}
                  >
                    {level.described ? <RichText text={level.text} inline /> : level.text}
                  </Typography>
                </Box>
              }
            />
          );
        })}
      </RadioGroup>
    </FormControl>
  );
});
