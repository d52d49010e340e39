import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { errorMessage } from '../../http/request.ts';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { RefreshIcon } from '../../ui/icons.tsx';
import { ImportDialog } from './import/import-dialog.tsx';
import { NewStudyDialog } from './new-study-dialog.tsx';
import { StudyList } from './study-list.tsx';
import { useStudies } from './use-studies.ts';

/**
 * The console's home: every study as a card, creating an empty study, and importing a benchmark file into a new or
 * existing study.
 */
export function StudiesPage() {
  const studies = useStudies();
  const error = studies.error ? errorMessage(studies.error) : null;
  // The import dialog's study name: '' for the researcher to choose, or the study just created.
  const [importing, setImporting] = useState<{ studyName: string } | null>(null);
  const [creating, setCreating] = useState(false);

  return (
    <Stack spacing={3}>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap' }} useFlexGap>
        <Typography variant="h2" component="h1" sx={{ flexGrow: 1 }}>
          Studies
        </Typography>
        <Button variant="outlined" size="small" onClick={() => setCreating(true)}>
          New study…
        </Button>
        <Button variant="contained" size="small" onClick={() => setImporting({ studyName: '' })}>
          Import benchmark…
        </Button>
        <Button
          variant="outlined"
          size="small"
          startIcon={<RefreshIcon />}
          onClick={() => void studies.refetch()}
          // Not disabled while loading: disabling the focused button would drop keyboard focus.
        >
          Refresh
        </Button>
      </Stack>
      {error && <ErrorAlert title="Could not load studies" message={error} onRetry={() => void studies.refetch()} />}
      <StudyList onImport={() => setImporting({ studyName: '' })} />
      <NewStudyDialog
        open={creating}
        onClose={() => setCreating(false)}
        onImportInto={(studyName) => setImporting({ studyName })}
      />
      <ImportDialog
        // A fresh dialog for each opening, so the study name it starts with is the one asked for.
        key={importing?.studyName ?? ''}
        open={importing !== null}
        initialStudyName={importing?.studyName ?? ''}
        onClose={() => setImporting(null)}
      />
    </Stack>
  );
}
