import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useCallback, useEffect, useRef, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from '../../i18n/index.ts';
import { CorrectnessChoice } from './correctness-choice.tsx';
import { CriterionScale, type RubricCriterion } from './criterion-scale.tsx';
import { CriterionStepper } from './criterion-stepper.tsx';
import { useRatingDraft } from './use-rating-draft.ts';

/** What the form hands over: `correct` is null only when the form does not ask it (`askCorrectness` false). */
export interface RatingFormResult {
  scores: Record<string, number>;
  correct: 0 | 1 | null;
  justification?: string;
}

interface RatingFormProps {
  criteria: RubricCriterion[];
  busy: boolean;
  error: string | null;
  submitLabel: string;
  onSubmit: (input: RatingFormResult) => void;
  goldAnswer?: string | undefined;
  /** Actors are not asked about correctness: they never see the correct answer (docs/studies-and-ratings.md). */
  askCorrectness?: boolean;
  /** Values to start from (changing a rating already given). */
  initial?: { scores: Record<string, number>; correct: 0 | 1 | null; justification?: string | undefined };
  /** More buttons beside the submit button (can't judge, cancel …). */
  actions?: ReactNode;
  /** A phone: one criterion at a time, with Previous and Next (docs/studies-and-ratings.md). */
  stepped?: boolean;
  /** Keeps the values in the store under this key (the item or episode rated), so leaving the form loses nothing. */
  draftKey?: string;
}

/**
 * Scores on every rubric criterion, correctness and an optional comment — all from the keyboard: 1–5 or arrows per
 * criterion (digits move on to the next), Y/N, Enter submits from anywhere but a button (Shift+Enter: new line).
 */
export function RatingForm({
  criteria,
  busy,
  error,
  submitLabel,
  onSubmit,
  goldAnswer,
  askCorrectness = true,
  initial,
  actions,
  stepped = false,
  draftKey,
}: RatingFormProps) {
  const { t } = useTranslation();
  const [draft, update] = useRatingDraft(draftKey, {
    scores: initial?.scores ?? {},
    correct: initial?.correct ?? null,
    justification: initial?.justification ?? '',
    step: 0,
    tried: false,
  });
  const { scores, correct, justification, tried } = draft;
  const step = Math.min(Math.max(draft.step, 0), Math.max(criteria.length - 1, 0));
  const form = useRef<HTMLFormElement>(null);
  // A criterion to focus once it is on screen: on a phone, moving to another criterion renders it first.
  const pendingFocus = useRef<string | null>(null);

  const focusScale = useCallback((key: string) => {
    const group = form.current?.querySelector(`[data-scale="${key}"]`);
    const radio =
      group?.querySelector<HTMLInputElement>('input[type="radio"]:checked') ??
      group?.querySelector<HTMLInputElement>('input[type="radio"]');
    // The criterion from its title down, not just its first radio: after Next (a phone shows one criterion at a time)
    // the page may be scrolled past the new criterion's top. Its scroll margin keeps it clear of the bars stuck on top.
    group?.scrollIntoView({ block: 'nearest' });
    radio?.focus({ preventScroll: true });
  }, []);
  /** Focus a criterion (by index) or the correctness question, first bringing a criterion on screen if needed. */
  const goTo = useCallback(
    (key: string) => {
      if (form.current?.querySelector(`[data-scale="${key}"]`)) return focusScale(key);
      pendingFocus.current = key;
      update(() => ({ step: Number(key) }));
    },
    [focusScale, update],
  );
  useEffect(() => {
    const key = pendingFocus.current;
    if (key === null || !form.current?.querySelector(`[data-scale="${key}"]`)) return;
    pendingFocus.current = null;
    focusScale(key);
  });
  const onChange = useCallback(
    (preference: string, score: number) => update((d) => ({ scores: { ...d.scores, [preference]: score } })),
    [update],
  );
  const onPicked = useCallback(
    (index: number) => {
      if (index + 1 < criteria.length) goTo(String(index + 1));
      else if (askCorrectness) focusScale('correctness');
    },
    [goTo, focusScale, criteria.length, askCorrectness],
  );

  const missing = criteria.findIndex((c) => scores[c.preference] === undefined);
  const scored = criteria.length - criteria.filter((c) => scores[c.preference] === undefined).length;

  const submit = (event?: FormEvent): void => {
    event?.preventDefault();
    update(() => ({ tried: true }));
    if (busy) return;
    if (missing !== -1) return goTo(String(missing));
    if (askCorrectness && correct === null) return focusScale('correctness');
    const comment = justification.trim();
    onSubmit({ scores, correct: askCorrectness ? correct : null, ...(comment ? { justification: comment } : {}) });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>): void => {
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
    if (event.target instanceof HTMLButtonElement) return;
    event.preventDefault();
    submit();
  };

  const problem =
    tried && missing !== -1
      ? t('rating.missingScores', { scored, total: criteria.length })
      : tried && askCorrectness && correct === null
        ? t('rating.sayCorrect')
        : null;
  return (
    <Stack
      component="form"
      ref={form}
      spacing={1.5}
      onSubmit={submit}
      onKeyDown={onKeyDown}
      noValidate
      aria-label={t('rating.formLabel')}
    >
      <Typography variant="body2" color="text.secondary">
        {stepped ? t('rating.steppedHelp') : t('rating.keyboardHelp')}
      </Typography>
      {criteria.map((c, i) =>
        stepped && i !== step ? null : (
          <CriterionScale
            key={c.preference}
            criterion={c}
            index={i}
            value={scores[c.preference] ?? null}
            invalid={tried && scores[c.preference] === undefined}
            onChange={onChange}
            onPicked={onPicked}
          />
        ),
      )}
      {stepped && criteria.length > 1 && (
        <CriterionStepper
          step={step}
          scored={criteria.map((c) => scores[c.preference] !== undefined)}
          onStep={(i) => goTo(String(i))}
        />
      )}
      {askCorrectness && (
        <CorrectnessChoice
          value={correct}
          invalid={tried && correct === null}
          onChange={(v) => update(() => ({ correct: v }))}
          goldAnswer={goldAnswer}
        />
      )}
      <TextField
        label={t('rating.comment')}
        multiline
        minRows={2}
        maxRows={6}
        value={justification}
        onChange={(e) => update(() => ({ justification: e.target.value }))}
        helperText={t('rating.commentHelp')}
        slotProps={{ htmlInput: { maxLength: 5000 } }}
      />
      {(problem ?? error) && (
        <Alert severity="error" role="alert">
          {problem ?? error}
        </Alert>
      )}
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, flexWrap: 'wrap' }}>
        <Button type="submit" variant="contained" size="large" disabled={busy}>
          {busy ? t('rating.saving') : submitLabel}
        </Button>
        <Typography variant="body2" color="text.secondary">
          {t('rating.scoredCount', { scored, total: criteria.length })}
        </Typography>
      </Box>
      {actions && <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>{actions}</Box>}
    </Stack>
  );
}
