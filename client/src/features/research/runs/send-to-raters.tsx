import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import type { Mode } from '../../../../../shared/schemas/evaluation.ts';
import type { RunInfo } from '../../../../../shared/schemas/research.ts';
import { errorMessage } from '../../../http/request.ts';
import { count } from '../format.ts';
import { MODE_LABELS } from './run-form-model.ts';
import { useSendToRaters } from './use-runs.ts';

/**
 * Puts a finished run's answers in the study's rating queue, by condition: discovery answers are what the raters
 * judge; the generic baseline beside them gives people's own worse-than-generic comparison.
 */
export function SendToRaters({ studyId, run }: { studyId: string; run: RunInfo }) {
  const send = useSendToRaters(studyId);
  const ran = run.options.modes ?? ['no_prompt', 'persona_known', 'infer_persona'];
  const [modes, setModes] = useState<Mode[]>(ran.includes('infer_persona') ? ['infer_persona'] : [...ran]);
  const outcome = send.data
    ? {
        ok: true,
        text: `${count(send.data.added)} answers added to the rating queue${send.data.unchanged > 0 ? `, ${count(send.data.unchanged)} were already there` : ''}.`,
      }
    : send.error
      ? { ok: false, text: errorMessage(send.error) }
      : null;

  const toggle = (mode: Mode, on: boolean): void => setModes((m) => (on ? [...m, mode] : m.filter((x) => x !== mode)));
  const submit = (): void => {
    if (!send.isPending) send.mutate({ runId: run.id, modes });
  };

  return (
    <Stack spacing={1} component="section" aria-label="Send answers to raters">
      <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
        <Typography variant="body2" sx={{ fontWeight: 600, mr: 1 }}>
          Send answers to raters:
        </Typography>
        {ran.map((mode) => (
          <FormControlLabel
            key={mode}
            control={
              <Checkbox size="small" checked={modes.includes(mode)} onChange={(e) => toggle(mode, e.target.checked)} />
            }
            label={MODE_LABELS[mode]}
          />
        ))}
        <Button size="small" variant="outlined" loading={send.isPending} disabled={modes.length === 0} onClick={submit}>
          Send to raters
        </Button>
      </Stack>
      {outcome && (
        <Alert severity={outcome.ok ? 'success' : 'error'} role={outcome.ok ? 'status' : 'alert'}>
          {outcome.text}
        </Alert>
      )}
    </Stack>
  );
}
