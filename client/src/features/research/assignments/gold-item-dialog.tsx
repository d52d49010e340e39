import Alert from '@mui/material/Alert';
import Autocomplete from '@mui/material/Autocomplete';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import { normalizeProblem } from '../../../../../shared/benchmark/normalize-problem.ts';
import type { BenchmarkRecord } from '../../../../../shared/schemas/benchmark.ts';
import type { RecordSummary } from '../../../../../shared/schemas/study.ts';
import { errorMessage, fetchRecord, fetchRecordPage, isAbort } from '../../../http/api.ts';
import { useAppStore } from '../../../store/index.ts';

/** Records offered in the picker: the first page the records route serves (the picker filters as you type). */
const PICKER_LIMIT = 500;

/**
 * An attention item: an answer the researcher writes for one record, with the score a careful rater gives each
 * criterion and the tolerance a rating may be off by. Raters cannot tell it from other answers. The picker's options
 * and the chosen record's rubric are this dialog's own transient data, so they are fetched here, not kept in the store.
 */
export function GoldItemDialog({ studyId, open, onClose }: { studyId: string; open: boolean; onClose: () => void }) {
  const addGoldItem = useAppStore((s) => s.addGoldItem);
  const [options, setOptions] = useState<RecordSummary[]>([]);
  const [picked, setPicked] = useState<RecordSummary | null>(null);
  const [record, setRecord] = useState<BenchmarkRecord | null>(null);
  const [answer, setAnswer] = useState('');
  const [scores, setScores] = useState<Record<string, number>>({});
  const [tolerance, setTolerance] = useState(1);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // A request cancelled because the dialog closed or another record was picked is not an error.
  const failed = (err: unknown): void => {
    if (!isAbort(err)) setError(errorMessage(err));
  };

  useEffect(() => {
    if (!open) return;
    const request = new AbortController();
    fetchRecordPage(studyId, { offset: 0, limit: PICKER_LIMIT }, request.signal).then(
      (page) => setOptions(page.items),
      failed,
    );
    return () => request.abort();
  }, [open, studyId]);

  useEffect(() => {
    if (!picked) return;
    const request = new AbortController();
    fetchRecord(studyId, picked.problemId, request.signal).then(setRecord, failed);
    return () => request.abort();
  }, [picked, studyId]);

  const criteria = record?.evaluation_rubric.evaluation_criteria ?? [];
  const ready = record !== null && answer.trim() !== '' && criteria.every((c) => scores[c.preference] !== undefined);
  const submit = async (): Promise<void> => {
    if (!record || !ready) return;
    setBusy(true);
    setError(null);
    try {
      await addGoldItem({ problemId: record.problem_id, answer: answer.trim(), expectedScores: scores, tolerance });
      setAnswer('');
      setScores({});
      setPicked(null);
      onClose();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} onClose={onClose} maxWidth="md" fullWidth aria-labelledby="gold-title">
      <DialogTitle id="gold-title">New attention item</DialogTitle>
      <DialogContent dividers>
        <Stack spacing={2}>
          <Autocomplete
            options={options}
            value={picked}
            onChange={(_e, v) => {
              setPicked(v);
              setRecord(null);
              setScores({});
            }}
            getOptionLabel={(o) => `${o.problemId} · ${o.personaName} · ${o.question.slice(0, 80)}`}
            isOptionEqualToValue={(a, b) => a.problemId === b.problemId}
            renderInput={(params) => (
              <TextField
                {...params}
                label="Record"
                helperText="The answer is shown to raters with this record’s persona, preferences and rubric."
              />
            )}
          />
          {record && (
            <>
              <Typography variant="body2" sx={{ whiteSpace: 'pre-wrap' }}>
                {normalizeProblem(record).question}
              </Typography>
              <TextField
                label="The answer raters will see"
                multiline
                minRows={4}
                value={answer}
                onChange={(e) => setAnswer(e.target.value)}
              />
              <Typography variant="h4" component="h3">
                Expected score per criterion
              </Typography>
              {criteria.map((c) => (
                <Stack
                  key={c.preference}
                  direction="row"
                  spacing={2}
                  sx={{ alignItems: 'center', justifyContent: 'space-between', flexWrap: 'wrap' }}
                  useFlexGap
                >
                  <Typography variant="body2" sx={{ flex: '1 1 240px' }} title={c.description}>
                    {c.preference}
                  </Typography>
                  <ToggleButtonGroup
                    size="small"
                    exclusive
                    value={scores[c.preference] ?? null}
                    aria-label={`Expected score for ${c.preference}`}
                    onChange={(_e, v: number | null) => v !== null && setScores((s) => ({ ...s, [c.preference]: v }))}
                  >
                    {[1, 2, 3, 4, 5].map((n) => (
                      <ToggleButton key={n} value={n} sx={{ px: 1.5 }}>
                        {n}
                      </ToggleButton>
                    ))}
                  </ToggleButtonGroup>
                </Stack>
              ))}
              <TextField
                label="Tolerance"
                type="number"
                value={tolerance}
                onChange={(e) => setTolerance(Math.max(0, Math.min(4, Math.round(Number(e.target.value) || 0))))}
                helperText="A rating passes when every criterion is within this many points of the expected score."
                sx={{ maxWidth: 260 }}
                slotProps={{ htmlInput: { min: 0, max: 4 } }}
              />
            </>
          )}
          {error && (
            <Alert severity="error" role="alert">
              {error}
            </Alert>
          )}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="contained" loading={busy} disabled={!ready} onClick={() => void submit()}>
          Add attention item
        </Button>
      </DialogActions>
    </Dialog>
  );
}
