import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useEffect } from 'react';
import { useAppStore } from '../../store/index.ts';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { RefreshIcon } from '../../ui/icons.tsx';
import { RecordDetail } from './record-detail.tsx';
import { RecordTable } from './record-table.tsx';
import { StudyList } from './study-list.tsx';

/** The research screen: pick a study, page through its records, open one to see its hidden ground truth. */
export function StudiesView() {
  const loadStudies = useAppStore((s) => s.loadStudies);
  const error = useAppStore((s) => s.studiesError);
  const hasSelection = useAppStore((s) => s.selectedStudyId !== null);

  useEffect(() => {
    void loadStudies();
  }, [loadStudies]);

  return (
    <Stack spacing={3}>
      <Stack direction="row" sx={{ alignItems: 'center', justifyContent: 'space-between' }}>
        <Typography variant="h2" component="h2">
          Studies
        </Typography>
        <Button
          variant="outlined"
          size="small"
          startIcon={<RefreshIcon />}
          onClick={() => void loadStudies()}
          // Not disabled while loading: disabling the focused button would drop keyboard focus.
        >
          Refresh
        </Button>
      </Stack>
      {error && <ErrorAlert title="Could not load studies" message={error} onRetry={() => void loadStudies()} />}
      <StudyList />
      {hasSelection && <RecordTable />}
      <RecordDetail />
    </Stack>
  );
}
