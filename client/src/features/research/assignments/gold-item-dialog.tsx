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
import { useState } from 'react';
import { normalizeProblem } from '../../../../../shared/benchmark/normalize-problem.ts';
import type { RecordSummary } from '../../../../../shared/schemas/study.ts';
import { errorMessage } from '../../../http/request.ts';
import { RichText } from '../../../ui/rich-text/rich-text.tsx';
import { useRecord, useRecordPage } from '../use-studies.ts';
import { useAddGoldItem } from './use-assignments.ts';

/** Records offered in the picker: the first page the records route serves (the picker filters as you type). */
const PICKER_PAGE = { offset: 0, limit: 500 };

/**
 * An attention item: an answer the researcher writes for one record, with the score a careful rater gives each
 * criterion and the tolerance a rating may be off by. Raters cannot tell it from other answers. The picker's records
 * and the chosen record's rubric are read only while the dialog is open.
 */
export function GoldItemDialog({ studyId, open, onClose }: { studyId: string; open: boolean; onClose: () => void }) {
  const add = useAddGoldItem(studyId);
  const options = useRecordPage(open ? studyId : null, PICKER_PAGE);
  const [picked, setPicked] = useState<RecordSummary | null>(null);
  const chosen = useRecord(studyId, open ? (picked?.problemId ?? null) : null);
  const record = chosen.data ?? null;
  const [answer, setAnswer] = useState('');
  const [scores, setScores] = useState<Record<string, number>>({});
  const [tolerance, setTolerance] = useState(1);
  const failed = add.error ?? chosen.error ?? options.error;
  const error = failed ? errorMessage(failed) : null;

  const criteria = record?.evaluation_rubric.evaluation_criteria ?? [];
  const ready = record !== null && answer.trim() !== '' && criteria.every((c) => scores[c.preference] !== undefined);
  const submit = (): void => {
    if (!record || !ready || add.isPending) return;
    add.mutate(
      { problemId: record.problem_id, answer: answer.trim(), expectedScores: scores, tolerance },
      {
        onSuccess: () => {
          setAnswer('');
          setScores({});
          setPicked(null);
          add.reset();
          onClose();
        },
      },
    );
  };

  return (
    <Dialog open={open} onClose={onClose} maxWidth="md" fullWidth aria-labelledby="gold-title">
      <DialogTitle id="gold-title">New attention item</DialogTitle>
      <DialogContent dividers>
        <Stack spacing={2}>
          <Autocomplete
            options={options.data?.items ?? []}
            value={picked}
            onChange={(_e, v) => {
              setPicked(v);
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
              <Typography variant="body2" component="div">
                <RichText text={normalizeProblem(record).question} />
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
        <Button variant="contained" loading={add.isPending} disabled={!ready} onClick={submit}>
          Add attention item
        </Button>
      </DialogActions>
    </Dialog>
  );
}
