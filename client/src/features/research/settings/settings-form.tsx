import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import type { LiveStudySettingsBody, StudyStatus } from '../../../../../shared/schemas/live-study.ts';
import { ApiError, errorMessage } from '../../../http/request.ts';
import { ModelsSection } from './models-section.tsx';
import { ParticipationSection } from './participation-section.tsx';
import { ProlificSection } from './prolific-section.tsx';
import {
  checkDraft,
  fieldOf,
  sentence,
  toDraft,
  type DraftField,
  type FieldErrors,
  type SettingsDraft,
} from './settings-draft.ts';
import { focusFirstInvalid, invalidInFormOrder } from './settings-focus.ts';
import { TextsSection } from './texts-section.tsx';
import { useSaveSettings } from './use-settings.ts';

interface SettingsFormProps {
  studyId: string;
  initial: LiveStudySettingsBody;
  status: StudyStatus | 'unconfigured';
}

/** The whole settings body in one form: checked here with the shared schema, then by the server (declared models). */
export function SettingsForm({ studyId, initial, status }: SettingsFormProps) {
  const save = useSaveSettings(studyId);
  const saving = save.isPending;
  // The server's refusal: its message, and the fields it named by JSON path (`$.models[0]`) to show at each field.
  const serverError = save.error
    ? { message: errorMessage(save.error), issues: save.error instanceof ApiError ? save.error.issues : [] }
    : null;
  const saved = useMemo(() => toDraft(initial), [initial]);
  const [draft, setDraft] = useState<SettingsDraft>(saved);
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const [otherErrors, setOtherErrors] = useState<string[]>([]);
  // Fields edited since the last save: the server's complaint about them may no longer hold.
  const [edited, setEdited] = useState<ReadonlySet<DraftField>>(new Set());
  const [justSaved, setJustSaved] = useState(false);
  // Bumped by a refused save: once the errors are on screen, focus goes to the first invalid field.
  const [focusRequest, setFocusRequest] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focusRequest > 0 && formRef.current) focusFirstInvalid(formRef.current, summaryRef.current);
  }, [focusRequest]);
  const locked = status === 'open' || status === 'closed';
  const dirty = JSON.stringify(draft) !== JSON.stringify(saved);

  const serverErrors: FieldErrors = {};
  const unplaced: string[] = [];
  for (const issue of serverError?.issues ?? []) {
    const field = fieldOf(issue.path);
    if (field === null) unplaced.push(issue.message);
    // Every problem of a field is shown (a prompt pack's, one per file), not only the first.
    else if (!edited.has(field))
      serverErrors[field] = [serverErrors[field], sentence(issue.message)].filter(Boolean).join('; ');
  }
  const errors = { ...serverErrors, ...clientErrors };

  const change = <K extends DraftField>(field: K, value: SettingsDraft[K]) => {
    setDraft((d) => ({ ...d, [field]: value }));
    setEdited((e) => new Set(e).add(field));
    setClientErrors(({ [field]: _gone, ...rest }) => rest);
    setJustSaved(false);
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const check = checkDraft(draft);
    setEdited(new Set());
    if (!check.ok) {
      setClientErrors(check.errors);
      setOtherErrors(check.other);
      setFocusRequest((n) => n + 1);
      return;
    }
    setClientErrors({});
    setOtherErrors([]);
    if (saving) return;
    save.mutate(check.body, {
      onSuccess: () => {
        setDraft(toDraft(check.body));
        setJustSaved(true);
      },
      onError: () => setFocusRequest((n) => n + 1),
    });
  };

  const props = { draft, errors, disabled: locked, change };
  const problems = Object.keys(errors).length + otherErrors.length;
  const first = invalidInFormOrder(errors)[0];
  return (
    <Stack ref={formRef} component="form" spacing={2} noValidate aria-label="Study settings" onSubmit={submit}>
      {status === 'open' && (
        <Alert role="note" severity="info">
          The study is open. Pause it (above) to change its settings.
        </Alert>
      )}
      {status === 'closed' && (
        <Alert role="note" severity="info">
          The study is closed; its settings are final.
        </Alert>
      )}
      {status === 'unconfigured' && (
        <Alert role="note" severity="info">
          This study has never been configured. These are the defaults; save them (with at least one model under test)
          to open it.
        </Alert>
      )}
      <ModelsSection {...props} />
      <ParticipationSection {...props} studyId={studyId} />
      <TextsSection {...props} />
      <ProlificSection {...props} />
      {serverError && (
        <Alert severity="error" ref={summaryRef} tabIndex={-1}>
          Not saved: {sentence(serverError.message)}
          {unplaced.length > 0 && ` (${unplaced.join('; ')})`}
        </Alert>
      )}
      {problems > 0 && !serverError && (
        <Alert severity="error" ref={summaryRef} tabIndex={-1}>
          Not saved: {problems === 1 ? 'one field needs' : `${problems} fields need`} attention.
          {first && ` The first (now focused): ${first.message.replace(/\.$/, '')}.`}
          {otherErrors.length > 0 && ` ${otherErrors.join('; ')}`}
        </Alert>
      )}
      {/* Stays in view at the bottom of a long form, so saving never needs a scroll back. */}
      {!locked && (
        <Paper
          variant="outlined"
          sx={{ position: 'sticky', bottom: 0, zIndex: 2, p: 1.5, display: 'flex', gap: 1.5, alignItems: 'center' }}
        >
          <Button type="submit" variant="contained" loading={saving}>
            Save settings
          </Button>
          <Button
            onClick={() => {
              setDraft(saved);
              setClientErrors({});
              setOtherErrors([]);
            }}
            disabled={!dirty}
          >
            Discard changes
          </Button>
          <Typography variant="body2" color="text.secondary" role="status" sx={{ ml: 1 }}>
            {justSaved && !dirty ? 'Settings saved.' : dirty ? 'Unsaved changes' : ''}
          </Typography>
        </Paper>
      )}
    </Stack>
  );
}
