import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useId, useState } from 'react';
import type { Mode } from '../../../../../shared/schemas/evaluation.ts';
import type { RunInfo } from '../../../../../shared/schemas/research.ts';
import { errorMessage } from '../../../http/request.ts';
import { count } from '../format.ts';
import { MODE_LABELS } from './run-form-model.ts';
import {
  confirmQuestion,
  groupLines,
  testModelWarning,
  transcriptNotice,
  withdrawnText,
} from './send-to-raters-text.ts';
import { usePreviewSend, useSendToRaters, useWithdrawRun } from './use-runs.ts';

type Step = 'closed' | 'send' | 'withdraw';

/**
 * Puts a finished run's answers in the study's rating queue, by condition: discovery answers are what the raters
 * judge; the generic baseline beside them gives people's own worse-than-generic comparison. Nothing is queued
 * without a confirm that shows the server's dry run (how many, from which model, and whether it is the offline test
 * model); "Withdraw unrated" is the way back: answers nobody has rated leave the queue, rated ones stay.
 */
export function SendToRaters({ studyId, run }: { studyId: string; run: RunInfo }) {
  const preview = usePreviewSend(studyId);
  const send = useSendToRaters(studyId);
  const withdraw = useWithdrawRun(studyId);
  const titleId = useId();
  const ran = run.options.modes ?? ['no_prompt', 'persona_known', 'infer_persona'];
  const [modes, setModes] = useState<Mode[]>(ran.includes('infer_persona') ? ['infer_persona'] : [...ran]);
  const [step, setStep] = useState<Step>('closed');
  const [last, setLast] = useState<'send' | 'withdraw' | null>(null);

  const outcome =
    last === 'send' && send.data
      ? {
          ok: true,
          text: `${count(send.data.added)} answers added to the rating queue${send.data.unchanged > 0 ? `, ${count(send.data.unchanged)} were already there` : ''}.`,
        }
      : last === 'withdraw' && withdraw.data
        ? { ok: true, text: withdrawnText(withdraw.data) }
        : last === 'send' && send.error
          ? { ok: false, text: errorMessage(send.error) }
          : last === 'withdraw' && withdraw.error
            ? { ok: false, text: errorMessage(withdraw.error) }
            : null;

  const toggle = (mode: Mode, on: boolean): void => setModes((m) => (on ? [...m, mode] : m.filter((x) => x !== mode)));
  const openSend = (): void => {
    if (preview.isPending) return;
    preview.reset();
    setStep('send');
    preview.mutate({ runId: run.id, modes });
  };
  const confirmSend = (): void => {
    if (send.isPending) return;
    setLast('send');
    send.mutate({ runId: run.id, modes }, { onSettled: () => setStep('closed') });
  };
  const confirmWithdraw = (): void => {
    if (withdraw.isPending) return;
    setLast('withdraw');
    withdraw.mutate({ runId: run.id, modes }, { onSettled: () => setStep('closed') });
  };
  const close = (): void => {
    if (!send.isPending && !withdraw.isPending) setStep('closed');
  };

  const dry = preview.data;
  const warning = dry ? testModelWarning(dry) : null;
  const conditions = modes.map((m) => MODE_LABELS[m]).join(', ');

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
        <Button
          size="small"
          variant="outlined"
          loading={preview.isPending}
          disabled={modes.length === 0}
          onClick={openSend}
        >
          Send to raters…
        </Button>
        <Button size="small" color="warning" disabled={modes.length === 0} onClick={() => setStep('withdraw')}>
          Withdraw unrated…
        </Button>
      </Stack>
      {outcome && (
        <Alert severity={outcome.ok ? 'success' : 'error'} role={outcome.ok ? 'status' : 'alert'}>
          {outcome.text}
        </Alert>
      )}

      <Dialog open={step === 'send'} onClose={close} maxWidth="sm" fullWidth aria-labelledby={titleId}>
        <DialogTitle id={titleId}>Send answers to raters</DialogTitle>
        <DialogContent>
          <Stack spacing={2}>
            {preview.isPending && <Typography>Counting the answers…</Typography>}
            {preview.error && (
              <Alert severity="error" role="alert">
                {errorMessage(preview.error)}
              </Alert>
            )}
            {dry && (
              <>
                <Typography sx={{ fontWeight: 600 }}>{confirmQuestion(dry)}</Typography>
                {warning && (
                  <Alert severity="warning" role="alert">
                    {warning}
                  </Alert>
                )}
                <Stack component="ul" sx={{ m: 0, pl: 3 }}>
                  {groupLines(dry).map((line) => (
                    <Typography component="li" variant="body2" key={line}>
                      {line}
                    </Typography>
                  ))}
                </Stack>
                {transcriptNotice(dry) && (
                  <Alert role="note" severity="info">
                    {transcriptNotice(dry)}
                  </Alert>
                )}
                <Typography variant="body2" color="text.secondary">
                  Answers nobody has rated yet can be taken back with “Withdraw unrated”.
                </Typography>
              </>
            )}
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={close}>Cancel</Button>
          <Button
            variant="contained"
            color={warning ? 'error' : 'primary'}
            loading={send.isPending}
            disabled={!dry || dry.wouldAdd === 0}
            onClick={confirmSend}
          >
            {dry && dry.wouldAdd > 0 ? `Add ${count(dry.wouldAdd)} answers` : 'Add'}
          </Button>
        </DialogActions>
      </Dialog>

      <Dialog open={step === 'withdraw'} onClose={close} maxWidth="sm" fullWidth aria-labelledby={`${titleId}-w`}>
        <DialogTitle id={`${titleId}-w`}>Withdraw unrated answers</DialogTitle>
        <DialogContent>
          <Typography>
            Take this run’s answers in {conditions} that nobody has rated yet out of the rating queue? No rater will be
            given them again, and sending them again does not bring them back. Answers that already have ratings stay,
            with their ratings; a rater holding a withdrawn answer is given another.
          </Typography>
        </DialogContent>
        <DialogActions>
          <Button onClick={close}>Cancel</Button>
          <Button variant="contained" color="warning" loading={withdraw.isPending} onClick={confirmWithdraw}>
            Withdraw
          </Button>
        </DialogActions>
      </Dialog>
    </Stack>
  );
}
