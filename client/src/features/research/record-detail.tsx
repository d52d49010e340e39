import Box from '@mui/material/Box';
import Divider from '@mui/material/Divider';
import Drawer from '@mui/material/Drawer';
import IconButton from '@mui/material/IconButton';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { errorMessage } from '../../http/request.ts';
import { useAppStore } from '../../store/index.ts';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { CloseIcon } from '../../ui/icons.tsx';
import { PersonaCard } from './persona-card.tsx';
import { PreferenceTable } from './preference-table.tsx';
import { ProblemSection } from './problem-section.tsx';
import { useRecord, useRecordPage } from './use-studies.ts';

const TITLE_ID = 'record-detail-title';

/** The open record in a side drawer: problem, persona, and the hidden preferences with their rubric. */
export function RecordDetail() {
  const studyId = useAppStore((s) => s.selectedStudyId);
  const problemId = useAppStore((s) => s.studyView.openProblemId);
  const page = useAppStore((s) => s.studyView.recordsPage);
  const openRecord = useAppStore((s) => s.openRecord);
  const query = useRecord(studyId, problemId);
  const summary = useRecordPage(studyId, page).data?.items.find((r) => r.problemId === problemId);
  const record = query.data ?? null;
  const loading = query.isFetching && record === null;
  const error = query.error ? errorMessage(query.error) : null;
  const closeRecord = () => openRecord(null);

  return (
    <Drawer
      anchor="right"
      open={problemId !== null}
      onClose={closeRecord}
      slotProps={{
        paper: { role: 'dialog', 'aria-labelledby': TITLE_ID, sx: { width: { xs: '100%', md: 820 } } },
      }}
    >
      <Box
        component="header"
        sx={{
          position: 'sticky',
          top: 0,
          zIndex: 1,
          bgcolor: 'background.paper',
          px: 3,
          py: 1.5,
          display: 'flex',
          gap: 2,
        }}
      >
        <Box sx={{ flexGrow: 1, minWidth: 0 }}>
          <Typography id={TITLE_ID} variant="h2" component="h2">
            {summary ? `${summary.task} · ${summary.personaName}` : 'Record'}
          </Typography>
          <Typography variant="body2" color="text.secondary" sx={{ fontFamily: 'monospace', overflowWrap: 'anywhere' }}>
            {problemId}
          </Typography>
        </Box>
        <IconButton onClick={closeRecord} aria-label="Close record details" sx={{ alignSelf: 'flex-start' }}>
          <CloseIcon />
        </IconButton>
      </Box>
      <Divider />
      <Stack spacing={3} sx={{ p: 3 }} aria-busy={loading}>
        {loading && <DetailSkeleton />}
        {error && problemId && (
          <ErrorAlert title="Could not load this record" message={error} onRetry={() => void query.refetch()} />
        )}
        {record && (
          <>
            <ProblemSection record={record} />
            <Divider />
            <PersonaCard persona={record.persona} />
            <PreferenceTable record={record} />
          </>
        )}
      </Stack>
    </Drawer>
  );
}

function DetailSkeleton() {
  return (
    <Stack spacing={1.5} aria-label="Loading record">
      <Skeleton variant="text" width="30%" height={32} />
      <Skeleton variant="rounded" height={96} />
      <Skeleton variant="rounded" height={160} />
      <Skeleton variant="rounded" height={240} />
    </Stack>
  );
}
