import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { Fragment } from 'react';
import type { StudyMember, StudyRole } from '../../../../../shared/schemas/study-access.ts';
import { visuallyHidden } from '../../../ui/visually-hidden.ts';
import { RoleSelect } from './role-select.tsx';

const COLUMNS = 4;

interface MembersTableProps {
  members: StudyMember[];
  /** The signed-in researcher, marked "(you)". */
  me: string | null;
  /** The member whose role is being changed or removed, whose controls wait for the answer. */
  busy: string | null;
  /** A refused change, shown under the member's row in the server's words. */
  refusal: { researcherId: string; message: string } | null;
  onChangeRole: (member: StudyMember, role: StudyRole) => void;
  onRemove: (member: StudyMember) => void;
}

/** Who has a role in the study: username, role (changeable), when and by whom it was given, and removal. */
export function MembersTable({ members, me, busy, refusal, onChangeRole, onRemove }: MembersTableProps) {
  // `addedBy` names a researcher; members are shown by username where they are still in the list.
  const nameOf = (researcherId: string): string =>
    members.find((m) => m.researcherId === researcherId)?.username ?? researcherId;
  return (
    <Paper variant="outlined">
      <TableContainer>
        <Table size="small" aria-label="Researchers with access">
          <TableHead>
            <TableRow>
              <TableCell scope="col">Researcher</TableCell>
              <TableCell scope="col">Role</TableCell>
              <TableCell scope="col">Added</TableCell>
              <TableCell scope="col">
                <span style={visuallyHidden}>Actions</span>
              </TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {members.map((member) => {
              const self = member.researcherId === me;
              const added = new Date(member.addedAt);
              return (
                <Fragment key={member.researcherId}>
                  <TableRow>
                    <TableCell component="th" scope="row">
                      {member.username}
                      {self ? ' (you)' : ''}
                    </TableCell>
                    <TableCell>
                      <RoleSelect
                        hiddenLabel
                        label={`Role of ${member.username}`}
                        value={member.role}
                        disabled={busy === member.researcherId}
                        onChange={(role) => onChangeRole(member, role)}
                      />
                    </TableCell>
                    <TableCell>
                      {Number.isNaN(added.getTime()) ? (
                        member.addedAt
                      ) : (
                        <time dateTime={member.addedAt}>{added.toLocaleString()}</time>
                      )}
                      {/* null: given with the study itself (its creator, or the install's first account). */}
                      {member.addedBy === null ? '' : ` · by ${nameOf(member.addedBy)}`}
                    </TableCell>
                    <TableCell align="right">
                      <Button
                        size="small"
                        color="error"
                        disabled={busy === member.researcherId}
                        onClick={() => onRemove(member)}
                        aria-label={`Remove ${member.username}`}
                      >
                        Remove
                      </Button>
                    </TableCell>
                  </TableRow>
                  {refusal?.researcherId === member.researcherId && (
                    <TableRow>
                      <TableCell colSpan={COLUMNS}>
                        <Alert severity="error">{refusal.message}</Alert>
                      </TableCell>
                    </TableRow>
                  )}
                </Fragment>
              );
            })}
          </TableBody>
        </Table>
      </TableContainer>
    </Paper>
  );
}
