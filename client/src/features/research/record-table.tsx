import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TablePagination from '@mui/material/TablePagination';
import TableRow from '@mui/material/TableRow';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useEffect } from 'react';
import type { RecordSummary } from '../../../../shared/schemas/study.ts';
import { PAGE_SIZES, useAppStore } from '../../store/index.ts';
import { ErrorAlert } from '../../ui/error-alert.tsx';
import { queryState } from './query-state.ts';
import { useRecordPage, useStudy } from './use-studies.ts';

const COLUMNS = 5;

/** One page of the selected study's records; opening a row shows its detail drawer. */
export function RecordTable() {
  const studyId = useAppStore((s) => s.selectedStudyId);
  const study = useStudy(studyId);
  const { offset, limit } = useAppStore((s) => s.studyView.recordsPage);
  const setPage = useAppStore((s) => s.setRecordsPage);
  const selectedProblemId = useAppStore((s) => s.studyView.openProblemId);
  const openRecord = useAppStore((s) => s.openRecord);
  const query = useRecordPage(studyId, { offset, limit });
  const { loading, error } = queryState(query);
  const total = query.data?.total ?? 0;
  const items = query.data?.items ?? [];

  // The study shrank since this page was chosen (re-import): fall back to its last page.
  useEffect(() => {
    const page = query.data;
    if (page && !query.isPlaceholderData && page.items.length === 0 && offset > 0 && page.total > 0) {
      setPage({ offset: Math.floor((page.total - 1) / limit) * limit, limit });
    }
  }, [query.data, query.isPlaceholderData, offset, limit, setPage]);

  return (
    <Stack spacing={1} component="section" aria-labelledby="records-heading">
      <Typography id="records-heading" variant="h3" component="h2">
        Records{study ? ` in ${study.name}` : ''}
      </Typography>
      {error && <ErrorAlert title="Could not load records" message={error} onRetry={() => void query.refetch()} />}
      <Paper variant="outlined">
        {/* Keeps its height while idle so the table does not jump when a page starts loading. */}
        <LinearProgress aria-label="Loading records" sx={{ visibility: loading ? 'visible' : 'hidden' }} />
        <TableContainer>
          <Table size="small" aria-labelledby="records-heading" aria-busy={loading}>
            <TableHead>
              <TableRow>
                <TableCell scope="col">Problem id</TableCell>
                <TableCell scope="col">Task</TableCell>
                <TableCell scope="col">Persona</TableCell>
                <TableCell scope="col">Question</TableCell>
                <TableCell scope="col" align="right">
                  Preferences
                </TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {items.length === 0 && loading && <SkeletonRows count={Math.min(limit, 5)} />}
              {items.length === 0 && !loading && !error && (
                <TableRow>
                  <TableCell colSpan={COLUMNS}>
                    <Typography color="text.secondary" sx={{ py: 2, textAlign: 'center' }}>
                      This study has no records.
                    </Typography>
                  </TableCell>
                </TableRow>
              )}
              {items.map((item) => (
                <RecordRow
                  key={item.problemId}
                  item={item}
                  selected={item.problemId === selectedProblemId}
                  onOpen={() => openRecord(item.problemId)}
                />
              ))}
            </TableBody>
          </Table>
        </TableContainer>
        <TablePagination
          component="div"
          count={total}
          page={total === 0 ? 0 : Math.floor(offset / limit)}
          rowsPerPage={limit}
          rowsPerPageOptions={PAGE_SIZES}
          onPageChange={(_event, page) => setPage({ offset: page * limit, limit })}
          onRowsPerPageChange={(event) => setPage({ offset: 0, limit: Number(event.target.value) })}
          showFirstButton
          showLastButton
        />
      </Paper>
    </Stack>
  );
}

interface RecordRowProps {
  item: RecordSummary;
  selected: boolean;
  onOpen: () => void;
}

function RecordRow({ item, selected, onOpen }: RecordRowProps) {
  const mismatch = item.criterionCount !== item.preferenceCount;
  return (
    // The whole row is a mouse target; the problem-id button is the keyboard and screen-reader way in.
    <TableRow hover selected={selected} onClick={onOpen} sx={{ cursor: 'pointer' }}>
      <TableCell component="th" scope="row">
        <Link
          component="button"
          type="button"
          onClick={(event) => {
            event.stopPropagation();
            onOpen();
          }}
          aria-label={`Open record ${item.problemId}`}
          sx={{ fontFamily: 'monospace', textAlign: 'left' }}
        >
          {item.problemId}
        </Link>
      </TableCell>
      <TableCell>
        <Chip size="small" variant="outlined" label={item.task} />
      </TableCell>
      <TableCell sx={{ whiteSpace: 'nowrap' }}>{item.personaName}</TableCell>
      <TableCell>
        {/* The width cap sits on the text, not the cell: auto-layout tables ignore max-width on cells. */}
        <Typography variant="body2" noWrap title={item.question} sx={{ maxWidth: { xs: 220, md: 420, lg: 560 } }}>
          {item.question}
        </Typography>
      </TableCell>
      <TableCell align="right">
        {item.preferenceCount}
        {mismatch && (
          <Tooltip
            describeChild
            title={`The rubric has ${item.criterionCount} criteria for ${item.preferenceCount} preferences`}
          >
            <Chip size="small" color="warning" label={`${item.criterionCount} criteria`} sx={{ ml: 1 }} tabIndex={0} />
          </Tooltip>
        )}
      </TableCell>
    </TableRow>
  );
}

function SkeletonRows({ count }: { count: number }) {
  return Array.from({ length: count }, (_, i) => (
    <TableRow key={i}>
      {Array.from({ length: COLUMNS }, (_, j) => (
        <TableCell key={j}>
          <Skeleton />
        </TableCell>
      ))}
    </TableRow>
  ));
}
