import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TablePagination from '@mui/material/TablePagination';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import type { AuditAction, AuditEntry } from '../../../../../shared/schemas/study-access.ts';
import { DEFAULT_PAGE_SIZE, PAGE_SIZES } from '../../../store/index.ts';
import { ErrorAlert } from '../../../ui/error-alert.tsx';
import { queryState } from '../query-state.ts';
import { useAuditPage } from './use-audit.ts';

const COLUMNS = 4;

/** Each recorded action in words; `detail` says what it was about. */
export const AUDIT_ACTION_TEXT: Record<AuditAction, string> = {
  export: 'Downloaded an export',
  delete_participant: 'Deleted a participant’s data',
  change_settings: 'Changed the settings',
  open_transcript: 'Opened a transcript',
  add_member: 'Gave a researcher access',
  change_member: 'Changed a researcher’s role',
  remove_member: 'Took a researcher’s access away',
};

/** What was done with the study's data and access, newest first (owners only). */
export function AuditTab({ studyId }: { studyId: string }) {
  const [page, setPage] = useState({ offset: 0, limit: DEFAULT_PAGE_SIZE });
  const query = useAuditPage(studyId, page);
  const { loading, error } = queryState(query);
  const total = query.data?.total ?? 0;
  const items = query.data?.items ?? [];

  return (
    <Stack spacing={1} component="section" aria-labelledby="audit-heading">
      <Typography id="audit-heading" variant="h3" component="h2">
        Audit log
      </Typography>
      <Typography variant="body2" color="text.secondary">
        Data leaving the app (exports), participants’ data deleted, settings changed, transcripts opened and access
        shared, by whom and when. Entries cannot be edited or removed.
      </Typography>
      {error && (
        <ErrorAlert title="Could not load the audit log" message={error} onRetry={() => void query.refetch()} />
      )}
      <Paper variant="outlined">
        {/* Keeps its height while idle so the table does not jump when a page starts loading. */}
        <LinearProgress aria-label="Loading the audit log" sx={{ visibility: loading ? 'visible' : 'hidden' }} />
        <TableContainer>
          <Table size="small" aria-labelledby="audit-heading" aria-busy={loading}>
            <TableHead>
              <TableRow>
                <TableCell scope="col">When</TableCell>
                <TableCell scope="col">Who</TableCell>
                <TableCell scope="col">Action</TableCell>
                <TableCell scope="col">Detail</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {query.data && items.length === 0 && (
                <TableRow>
                  <TableCell colSpan={COLUMNS}>
                    <Typography color="text.secondary" sx={{ py: 2, textAlign: 'center' }}>
                      Nothing recorded yet. Exports, deletions, settings changes, opened transcripts and changes to who
                      has access appear here.
                    </Typography>
                  </TableCell>
                </TableRow>
              )}
              {items.map((entry) => (
                <AuditRow key={entry.id} entry={entry} />
              ))}
            </TableBody>
          </Table>
        </TableContainer>
        <TablePagination
          component="div"
          count={total}
          page={total === 0 ? 0 : Math.floor(page.offset / page.limit)}
          rowsPerPage={page.limit}
          rowsPerPageOptions={PAGE_SIZES}
          onPageChange={(_event, next) => setPage({ offset: next * page.limit, limit: page.limit })}
          onRowsPerPageChange={(event) => setPage({ offset: 0, limit: Number(event.target.value) })}
          showFirstButton
          showLastButton
        />
      </Paper>
    </Stack>
  );
}

function AuditRow({ entry }: { entry: AuditEntry }) {
  const at = new Date(entry.at);
  return (
    <TableRow>
      <TableCell sx={{ whiteSpace: 'nowrap' }}>
        {Number.isNaN(at.getTime()) ? entry.at : <time dateTime={entry.at}>{at.toLocaleString()}</time>}
      </TableCell>
      <TableCell>{entry.username}</TableCell>
      <TableCell>{AUDIT_ACTION_TEXT[entry.action]}</TableCell>
      <TableCell sx={{ overflowWrap: 'anywhere' }}>{entry.detail}</TableCell>
    </TableRow>
  );
}
