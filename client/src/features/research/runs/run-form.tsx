import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormGroup from '@mui/material/FormGroup';
import FormHelperText from '@mui/material/FormHelperText';
import FormLabel from '@mui/material/FormLabel';
import Grid from '@mui/material/Grid';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState, type FormEvent } from 'react';
import { z } from 'zod';
import { MODES, type Mode } from '../../../../../shared/schemas/evaluation.ts';
import type { LiveStudySettings } from '../../../../../shared/schemas/live-study.ts';
import { StartRunBodySchema } from '../../../../../shared/schemas/research.ts';
import { ApiError, errorMessage } from '../../../http/request.ts';
import { useAppStore } from '../../../store/index.ts';
import { ModelField } from '../model-field.tsx';
import { useStudySettings } from '../settings/use-settings.ts';
import { useDeclaredModels } from '../use-studies.ts';
import {
  MODE_LABELS,
  USER_TYPE_LABELS,
  USER_TYPES,
  blankForm,
  toBody,
  type RunForm as Form,
} from './run-form-model.ts';
import { useStartRun } from './use-runs.ts';

/** Starts a batch run over the study's records, with the CLI's options and defaults. */
// A 409 run_in_progress names the run in the error body's `details` (shared/errors.ts).
const RunInProgressBody = z.object({ details: z.object({ runId: z.string().optional() }).optional() });

/** The run already doing this work, named by a 409 run_in_progress: the form offers to show it. */
function runningRunId(err: unknown): string | null {
  const parsed = RunInProgressBody.safeParse(err instanceof ApiError ? err.body : null);
  return parsed.success ? (parsed.data.details?.runId ?? null) : null;
}

/** What the study's settings select for live play, in words. */
function selectionText(settings: LiveStudySettings | null | undefined): string {
  if (settings === undefined) return '';
  const selection = settings?.records ?? { kind: 'all' };
  if (selection.kind === 'all') return 'The study settings select all records, so this changes nothing yet.';
  const n = selection.problemIds.length;
  return `The study settings select ${n} record${n === 1 ? '' : 's'}.`;
}

export function RunForm({ studyId }: { studyId: string }) {
  const start = useStartRun(studyId);
  const starting = start.isPending;
  const startError = start.error ? { message: errorMessage(start.error), runId: runningRunId(start.error) } : null;
  const focusRun = useAppStore((s) => s.focusRun);
  const firstModel = useDeclaredModels().data?.find((m) => m.available)?.name ?? 'scripted';
  // undefined while loading, null for a study never configured (which plays every record).
  const settings = useStudySettings(studyId).data;
  const [form, setForm] = useState<Form>(blankForm);
  const [errors, setErrors] = useState<string[]>([]);
  // Untouched model fields follow the first usable declared model, which may arrive after the form.
  const model = form.model ?? firstModel;
  const judge = form.judge ?? firstModel;
  const discovery = form.modes.includes('infer_persona');
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));
  const toggle = <T extends string>(list: T[], item: T, on: boolean): T[] =>
    on ? [...list, item] : list.filter((x) => x !== item);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (starting) return;
    const parsed = StartRunBodySchema.safeParse(toBody({ ...form, model, judge }));
    if (!parsed.success) {
      setErrors(parsed.error.issues.map((i) => `${i.path.join('.') || 'run'}: ${i.message}`));
      return;
    }
    setErrors([]);
    start.mutate(parsed.data, { onSuccess: (started) => focusRun(started.runId) });
  };

  return (
    <Paper
      variant="outlined"
      component="form"
      noValidate
      aria-label="Start a batch run"
      onSubmit={submit}
      sx={{ p: 2 }}
    >
      <Stack spacing={2}>
        <div>
          <Typography variant="h3" component="h2">
            Start a batch run
          </Typography>
          <Typography variant="body2" color="text.secondary">
            Every record of the study (or the live study’s selection, or a seeded sample of N) in each chosen condition,
            with a simulated user. Same as <code>prefdisco run</code>.
          </Typography>
        </div>
        <Grid container spacing={2}>
          <Grid size={{ xs: 12, md: 4 }}>
            <ModelField label="Model under test" value={model} onChange={(v) => set('model', v)} required />
          </Grid>
          <Grid size={{ xs: 12, md: 4 }}>
            <ModelField label="Judge" value={judge} onChange={(v) => set('judge', v)} required />
          </Grid>
          <Grid size={{ xs: 12, md: 4 }}>
            <ModelField
              label="Simulated user"
              value={form.simulator}
              onChange={(v) => set('simulator', v)}
              helperText="Empty: the judge model"
            />
          </Grid>
        </Grid>
        <Stack direction={{ xs: 'column', md: 'row' }} spacing={3}>
          <FormControl component="fieldset" error={form.modes.length === 0}>
            <FormLabel component="legend">Conditions</FormLabel>
            <FormGroup row>
              {MODES.map((m: Mode) => (
                <FormControlLabel
                  key={m}
                  label={MODE_LABELS[m]}
                  control={
                    <Checkbox
                      checked={form.modes.includes(m)}
                      onChange={(e) => set('modes', toggle(form.modes, m, e.target.checked))}
                    />
                  }
                />
              ))}
            </FormGroup>
            {form.modes.length === 0 && <FormHelperText>Choose at least one</FormHelperText>}
          </FormControl>
          <FormControl component="fieldset" disabled={!discovery}>
            <FormLabel component="legend">Simulated user types (discovery)</FormLabel>
            <FormGroup row>
              {USER_TYPES.map((u) => (
                <FormControlLabel
                  key={u}
                  label={USER_TYPE_LABELS[u]}
                  control={
                    <Checkbox
                      checked={form.userTypes.includes(u)}
                      onChange={(e) => set('userTypes', toggle(form.userTypes, u, e.target.checked))}
                    />
                  }
                />
              ))}
            </FormGroup>
          </FormControl>
        </Stack>
        <Grid container spacing={2}>
          {(
            [
              ['maxProblems', 'Max problems', 'Empty: all records'],
              ['concurrency', 'Concurrency', 'Episodes at a time (1–256)'],
              ['maxTurns', 'Max turns', 'Questions before the forced answer'],
              ['seed', 'Seed', 'Same seed and options resume a run'],
            ] as const
          ).map(([key, label, help]) => (
            <Grid key={key} size={{ xs: 6, md: 3 }}>
              <TextField
                fullWidth
                type="number"
                label={label}
                value={form[key]}
                onChange={(e) => set(key, e.target.value)}
                helperText={help}
              />
            </Grid>
          ))}
        </Grid>
        <FormControl>
          <FormControlLabel
            label="Only the live study’s selected records"
            control={
              <Checkbox checked={form.studySelection} onChange={(e) => set('studySelection', e.target.checked)} />
            }
          />
          <FormHelperText sx={{ mt: 0 }}>
            {selectionText(settings)} Batch rows then cover the records people play, so Results compare like with like;
            Max problems samples within them.
          </FormHelperText>
        </FormControl>
        {errors.length > 0 && <Alert severity="error">Not started: {errors.join('; ')}</Alert>}
        {startError && (
          <Alert
            severity="error"
            action={
              startError.runId ? (
                <Button color="inherit" size="small" onClick={() => focusRun(startError.runId)}>
                  Show that run
                </Button>
              ) : undefined
            }
          >
            Not started: {startError.message}
          </Alert>
        )}
        <Button type="submit" variant="contained" loading={starting} sx={{ alignSelf: 'flex-start' }}>
          Start run
        </Button>
      </Stack>
    </Paper>
  );
}
