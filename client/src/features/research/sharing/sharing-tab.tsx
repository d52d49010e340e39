import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { STUDY_ROLES, type StudyMember, type StudyRole } from '../../../../../shared/schemas/study-access.ts';
import { errorMessage } from '../../../http/request.ts';
import { useAppStore } from '../../../store/index.ts';
import { LoadState } from '../load-state.tsx';
import { queryState } from '../query-state.ts';
import { ROLE_TEXT } from '../study-role.tsx';
import { AddMemberForm } from './add-member-form.tsx';
import { MembersTable } from './members-table.tsx';
import { RemoveMemberDialog } from './remove-member-dialog.tsx';
import { useChangeMemberRole, useMembers, useRemoveMember } from './use-members.ts';

/** Who may work on the study, and in which role (owners only; the server refuses everyone else). */
export function SharingTab({ studyId }: { studyId: string }) {
  const me = useAppStore((s) => s.researcher?.researcherId ?? null);
  const query = useMembers(studyId);
  const change = useChangeMemberRole(studyId);
  const remove = useRemoveMember(studyId);
  const [removing, setRemoving] = useState<StudyMember | null>(null);
  const members = query.data ?? [];

  const changing = change.isPending ? (change.variables?.researcherId ?? null) : null;
  const refusal =
    change.isError && change.variables
      ? { researcherId: change.variables.researcherId, message: errorMessage(change.error) }
      : null;

  const changeRole = (member: StudyMember, role: StudyRole) => {
    if (role === member.role || change.isPending) return;
    change.mutate({ researcherId: member.researcherId, role });
  };

  return (
    <Stack spacing={3}>
      <Stack spacing={0.5} component="section" aria-labelledby="roles-heading">
        <Typography id="roles-heading" variant="h3" component="h2">
          Roles
        </Typography>
        <Typography variant="body2" color="text.secondary" component="div">
          <ul style={{ margin: 0, paddingLeft: '1.25em' }}>
            {STUDY_ROLES.map((role) => (
              <li key={role}>
                <strong>{ROLE_TEXT[role].label}</strong>: {ROLE_TEXT[role].text}.
              </li>
            ))}
          </ul>
        </Typography>
      </Stack>
      <AddMemberForm studyId={studyId} />
      <Stack spacing={1} component="section" aria-labelledby="members-heading">
        <Typography id="members-heading" variant="h3" component="h2">
          Researchers with access
        </Typography>
        <Typography variant="body2" color="text.secondary">
          A study always keeps at least one owner. Every change here is written to the audit log.
        </Typography>
        <LoadState
          what="the researchers with access"
          {...queryState(query)}
          empty={members.length === 0}
          emptyText="Nobody has a role in this study."
          onRetry={() => void query.refetch()}
        >
          <MembersTable
            members={members}
            me={me}
            busy={changing ?? (remove.isPending ? (remove.variables ?? null) : null)}
            refusal={refusal}
            onChangeRole={changeRole}
            onRemove={(member) => {
              remove.reset();
              change.reset();
              setRemoving(member);
            }}
          />
        </LoadState>
      </Stack>
      {removing && (
        <RemoveMemberDialog
          key={removing.researcherId}
          member={removing}
          self={removing.researcherId === me}
          busy={remove.isPending}
          error={remove.isError ? errorMessage(remove.error) : null}
          onCancel={() => setRemoving(null)}
          onRemove={() => remove.mutate(removing.researcherId, { onSuccess: () => setRemoving(null) })}
        />
      )}
    </Stack>
  );
}
