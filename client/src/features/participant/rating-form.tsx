import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useCallback, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { RatingInput } from '../../store/rating-slice.ts';
import { CorrectnessChoice } from './correctness-choice.tsx';
import { CriterionScale, type RubricCriterion } from './criterion-scale.tsx';

interface RatingFormProps {
  criteria: RubricCriterion[];
  busy: boolean;
  error: string | null;
  submitLabel: string;
  onSubmit: (input: RatingInput) => void;
  goldAnswer?: string | undefined;
}

/**
 * Scores on every rubric criterion, correctness and an optional comment — all from the keyboard: 1–5 or arrows per
 * criterion (digits move on to the next), Y/N, Enter submits from anywhere but a button (Shift+Enter: new line).
 */
export function RatingForm({ criteria, busy, error, submitLabel, onSubmit, goldAnswer }: RatingFormProps) {
  const [scores, setScores] = useState<Record<string, number>>({});
  const [correct, setCorrect] = useState<0 | 1 | null>(null);
  const [justification, setJustification] = useState('');
  const [tried, setTried] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  const focusScale = useCallback((key: string) => {
    const group = form.current?.querySelector(`[data-scale="${key}"]`);
    const radio =
      group?.querySelector<HTMLInputElement>('input[type="radio"]:checked') ??
      group?.querySelector<HTMLInputElement>('input[type="radio"]');
    radio?.focus();
  }, []);
  const onChange = useCallback(
    (preference: string, score: number) => setScores((s) => ({ ...s, [preference]: score })),
    [],
  );
  const onPicked = useCallback(
    (index: number) => focusScale(index + 1 < criteria.length ? String(index + 1) : 'correctness'),
    [focusScale, criteria.length],
  );

  const missing = criteria.findIndex((c) => scores[c.preference] === undefined);
  const scored = criteria.length - criteria.filter((c) => scores[c.preference] === undefined).length;

  const submit = (event?: FormEvent): void => {
    event?.preventDefault();
    setTried(true);
    if (busy) return;
    if (missing !== -1) return focusScale(String(missing));
    if (correct === null) return focusScale('correctness');
    const comment = justification.trim();
    onSubmit({ scores, correct, ...(comment ? { justification: comment } : {}) });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>): void => {
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
    if (event.target instanceof HTMLButtonElement) return;
    event.preventDefault();
    submit();
  };

  const problem =
    tried && missing !== -1
      ? `Score every criterion (${scored} of ${criteria.length} done).`
      : tried && correct === null
        ? 'Say whether the answer is correct.'
        : null;
  return (
    <Stack
      component="form"
      ref={form}
      spacing={1.5}
      onSubmit={submit}
      onKeyDown={onKeyDown}
      noValidate
      aria-label="Rating"
    >
      <Typography variant="body2" color="text.secondary">
        Keys 1–5 or arrows score a criterion; Tab moves between criteria; Enter submits.
      </Typography>
      {criteria.map((c, i) => (
        <CriterionScale
          key={c.preference}
          criterion={c}
          index={i}
          value={scores[c.preference] ?? null}
          invalid={tried && scores[c.preference] === undefined}
          onChange={onChange}
          onPicked={onPicked}
        />
      ))}
      <CorrectnessChoice
        value={correct}
        invalid={tried && correct === null}
        onChange={setCorrect}
        goldAnswer={goldAnswer}
      />
      <TextField
        label="Comment (optional)"
        multiline
        minRows={2}
        maxRows={6}
        value={justification}
        onChange={(e) => setJustification(e.target.value)}
        helperText="Why these scores? Enter submits, Shift+Enter adds a line."
        slotProps={{ htmlInput: { maxLength: 5000 } }}
      />
      {(problem ?? error) && (
        <Alert severity="error" role="alert">
          {problem ?? error}
        </Alert>
      )}
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2 }}>
        <Button type="submit" variant="contained" size="large" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </Button>
        <Typography variant="body2" color="text.secondary">
          {scored} of {criteria.length} criteria scored
        </Typography>
      </Box>
    </Stack>
  );
}
