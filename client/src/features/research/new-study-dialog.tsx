import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { CreateStudyBodySchema } from '../../../../shared/schemas/api-studies.ts';
import type { Study } from '../../../../shared/schemas/study.ts';
import { navigate } from '../../app/router.ts';
import { errorMessage } from '../../http/request.ts';
import { createStudy } from '../../http/study-create-api.ts';
import { queryKeys } from '../../query/query-keys.ts';
import { studyPath } from './console-route.ts';

/**
 * "New study": a name and an optional description make an empty study; then its records come from an import into it
 * (`onImportInto` opens the import dialog with its name) or the command line.
 */
export function NewStudyDialog({
  open,
  onClose,
  onImportInto,
}: {
  open: boolean;
  onClose: () => void;
  onImportInto: (studyName: string) => void;
}) {
  const queryClient = useQueryClient();
  const titleId = useId();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [attempted, setAttempted] = useState(false);
  const create = useMutation({
    mutationFn: createStudy,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.studies() }),
  });
  const created: Study | null = create.data ?? null;
  const check = CreateStudyBodySchema.safeParse({ name, ...(description.trim() ? { description } : {}) });
  const issueAt = (field: string): string | null =>
    attempted && !check.success ? (check.error.issues.find((i) => i.path[0] === field)?.message ?? null) : null;
  const nameError = issueAt('name');
  const descriptionError = issueAt('description');

  const close = () => {
    setName('');
    setDescription('');
    setAttempted(false);
    create.reset();
    onClose();
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setAttempted(true);
    if (!check.success || create.isPending) return;
    create.mutate(check.data);
  };

  return (
    <Dialog open={open} onClose={close} maxWidth="sm" fullWidth aria-labelledby={titleId}>
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>New study</DialogTitle>
        <DialogContent>
          {created ? (
            <Alert role="status" severity="success">
              Study “{created.name}” created. It has no records yet: import a benchmark file into it to add them.
            </Alert>
          ) : (
            <Stack spacing={2.5} sx={{ pt: 1 }}>
              <Typography variant="body2" color="text.secondary">
                An empty study. Records come from importing a benchmark file into it afterwards.
              </Typography>
              <TextField
                label="Name"
                required
                autoFocus
                value={name}
                onChange={(e) => setName(e.target.value)}
                error={nameError !== null}
                helperText={nameError ? `The name ${nameError}` : 'Letters, digits, spaces, ".", "_" and "-".'}
              />
              <TextField
                label="Description (optional)"
                multiline
                minRows={2}
                value={description}
                onChange={(e) => setDescription(e.target.value)}
                error={descriptionError !== null}
                helperText={descriptionError ? `The description ${descriptionError}` : ' '}
              />
              {create.error && <Alert severity="error">{errorMessage(create.error)}</Alert>}
            </Stack>
          )}
        </DialogContent>
        <DialogActions>
          {created ? (
            <>
              <Button
                onClick={() => {
                  close();
                  navigate(studyPath(created.id));
                }}
              >
                Open study
              </Button>
              <Button
                variant="contained"
                onClick={() => {
                  close();
                  onImportInto(created.name);
                }}
              >
                Import records…
              </Button>
            </>
          ) : (
            <>
              <Button onClick={close}>Cancel</Button>
              <Button type="submit" variant="contained" loading={create.isPending}>
                Create
              </Button>
            </>
          )}
        </DialogActions>
      </form>
    </Dialog>
  );
}
