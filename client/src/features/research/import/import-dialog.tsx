import Alert from '@mui/material/Alert';
import Autocomplete from '@mui/material/Autocomplete';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useId, useRef, useState, type FormEvent } from 'react';
import { StudyNameSchema } from '../../../../../shared/schemas/study.ts';
import { navigate } from '../../../app/router.ts';
import { errorMessage } from '../../../http/request.ts';
import { studyPath } from '../console-route.ts';
import { useStudies } from '../use-studies.ts';
import { ImportOutcome } from './import-outcome.tsx';
import { useImportBenchmark } from './use-import.ts';

/** "my-bench.v2.jsonl" → "my-bench.v2": a study name suggestion the researcher may change. */
function nameFromFile(fileName: string): string {
  return fileName
    .replace(/\.(jsonl|ndjson|json|txt)$/i, '')
    .replace(/[^\p{L}\p{N} ._-]+/gu, ' ')
    .trim()
    .slice(0, 120);
}

/** Upload a benchmark file into a new or existing study; the server validates it in full, all or nothing. */
export function ImportDialog({
  open,
  onClose,
  initialStudyName = '',
}: {
  open: boolean;
  onClose: () => void;
  /** The study to import into, when the dialog opens for one (a study just created); the researcher may change it. */
  initialStudyName?: string;
}) {
  const studies = useStudies().data ?? [];
  const upload = useImportBenchmark();
  const importing = upload.isPending;
  // What the server said about the last file: imported, or refused with its issues by line.
  const result = upload.data ?? null;
  // A failure that is not about the file's content (network, too large, conflict with stored records).
  const error = upload.error ? errorMessage(upload.error) : null;
  const clearImport = () => upload.reset();
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState(initialStudyName);
  const [skipImages, setSkipImages] = useState(true);
  const [attempted, setAttempted] = useState(false);
  const [importedName, setImportedName] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const titleId = useId();
  const nameCheck = StudyNameSchema.safeParse(name);
  const nameError =
    attempted && !nameCheck.success ? `The study name ${nameCheck.error.issues[0]?.message ?? 'is not valid'}` : null;

  const close = () => {
    clearImport();
    setFile(null);
    setName('');
    setAttempted(false);
    onClose();
  };

  const choose = (chosen: File | null) => {
    setFile(chosen);
    clearImport();
    // Suggest a name from the file until the researcher has typed their own.
    if (chosen && (name === '' || name === nameFromFile(file?.name ?? ''))) setName(nameFromFile(chosen.name));
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setAttempted(true);
    if (!file || !nameCheck.success || importing) return;
    setImportedName(nameCheck.data);
    upload.mutate(
      { file, studyName: nameCheck.data, skipImages },
      // Choosing the same file again after fixing it must fire a change event.
      {
        onSettled: () => {
          if (input.current) input.current.value = '';
        },
      },
    );
  };

  return (
    <Dialog open={open} onClose={close} maxWidth="md" fullWidth aria-labelledby={titleId}>
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>Import a benchmark file</DialogTitle>
        <DialogContent>
          <Stack spacing={2.5}>
            <Typography variant="body2" color="text.secondary">
              A JSONL file in the PrefDisco reference format: a metadata line, then one{' '}
              <code>personalized_problem</code> record per line. Every line is checked; a file with any error is not
              imported at all.
            </Typography>
            <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center' }}>
              <Button variant="outlined" onClick={() => input.current?.click()}>
                Choose file…
              </Button>
              <input
                ref={input}
                type="file"
                accept=".jsonl,.ndjson,.json,.txt,application/x-ndjson,application/jsonl,text/plain"
                hidden
                aria-label="Benchmark file"
                onChange={(e) => choose(e.target.files?.[0] ?? null)}
              />
              <Typography
                variant="body2"
                color={file ? 'text.primary' : attempted ? 'error' : 'text.secondary'}
                aria-live="polite"
              >
                {file
                  ? `${file.name} (${(file.size / 1024).toFixed(1)} KB)`
                  : attempted
                    ? 'Choose a file first'
                    : 'No file chosen'}
              </Typography>
            </Stack>
            <Autocomplete
              freeSolo
              options={studies.map((s) => s.name)}
              inputValue={name}
              onInputChange={(_e, value) => setName(value)}
              renderInput={(params) => (
                <TextField
                  {...params}
                  label="Study"
                  required
                  error={nameError !== null}
                  helperText={nameError ?? 'A new name creates a study; an existing one adds the file’s records to it.'}
                />
              )}
            />
            <FormControlLabel
              control={<Checkbox checked={skipImages} onChange={(e) => setSkipImages(e.target.checked)} />}
              label="Skip the image check (an uploaded file has no image files beside it)"
            />
            {error && <Alert severity="error">{error}</Alert>}
            {result && (
              <ImportOutcome
                result={result}
                studyName={importedName}
                onOpenStudy={(id) => {
                  close();
                  navigate(studyPath(id, 'records'));
                }}
              />
            )}
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={close}>{result?.kind === 'imported' ? 'Done' : 'Cancel'}</Button>
          <Button type="submit" variant="contained" loading={importing}>
            Import
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
