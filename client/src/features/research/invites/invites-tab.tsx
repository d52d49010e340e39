import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import type { Invite } from '../../../../../shared/schemas/api-studies.ts';
import type { ParticipantRole } from '../../../../../shared/schemas/identity.ts';
import { roleAllows } from '../../../../../shared/schemas/study-access.ts';
import { errorMessage } from '../../../http/request.ts';
import { LoadState } from '../load-state.tsx';
import { queryState } from '../query-state.ts';
import { useStudySettings } from '../settings/use-settings.ts';
import { useStudyRole } from '../use-studies.ts';
import { DeleteParticipant } from './delete-participant.tsx';
import { InviteLimitsDialog } from './invite-limits-dialog.tsx';
import { InviteList } from './invite-list.tsx';
import { RevokeInviteDialog } from './revoke-invite-dialog.tsx';
import { useCreateInvite, useInvites, useRevokeInvite, useUpdateInvite } from './use-invites.ts';

const ROLES: { role: ParticipantRole; title: string; text: string }[] = [
  {
    role: 'actor',
    title: 'Persona actors',
    text: 'play a persona in a live chat with the model, then rate its answer',
  },
  { role: 'rater', title: 'Raters', text: 'score answers against the persona’s rubric, blind to model and condition' },
];

/** Invitation links per role, ready to paste into Prolific. */
export function InvitesTab({ studyId }: { studyId: string }) {
  const query = useInvites(studyId);
  const create = useCreateInvite(studyId);
  const update = useUpdateInvite(studyId);
  const revoke = useRevokeInvite(studyId);
  const status = useStudySettings(studyId).data?.status ?? null;
  const role = useStudyRole(studyId);
  const invites = query.data;
  // The link whose dialog is open; the dialogs read the latest copy from the list by code.
  const [editing, setEditing] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<string | null>(null);
  const find = (code: string | null): Invite | null => invites?.find((i) => i.code === code) ?? null;
  const editingInvite = find(editing);
  const revokingInvite = find(revoking);
  // The role being created: one new link at a time.
  const busy = create.isPending ? create.variables : null;
  const error = create.error ? errorMessage(create.error) : revoke.error ? errorMessage(revoke.error) : null;
  const newLink = (role: ParticipantRole) => {
    if (busy !== null) return;
    create.reset();
    revoke.reset();
    create.mutate(role);
  };

  return (
    <Stack spacing={2.5}>
      <Typography variant="body2" color="text.secondary">
        Each link admits people into one role of this study. On Prolific, paste the whole link: it already ends with the
        PROLIFIC_PID, STUDY_ID and SESSION_ID placeholders Prolific fills in. Edit a link to give it a label, a cap on
        how many people may join through it, or an expiry; people who joined can always come back to finish.
      </Typography>
      {status !== 'open' && (
        <Alert role="note" severity="warning" variant="outlined">
          The study is not open{status ? ` (${status})` : ''}: links work, but people who follow them are told to come
          back later.
        </Alert>
      )}
      {error && <Alert severity="error">{error}</Alert>}
      {ROLES.map(({ role, title, text }) => (
        <Stack key={role} spacing={1} component="section" aria-label={title}>
          <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
            <div style={{ flexGrow: 1 }}>
              <Typography variant="h3" component="h2">
                {title}
              </Typography>
              <Typography variant="body2" color="text.secondary">
                They {text}.
              </Typography>
            </div>
            <Button variant="outlined" loading={busy === role} onClick={() => newLink(role)}>
              New {role} link
            </Button>
          </Stack>
          <LoadState
            what="the invitation links"
            {...queryState(query)}
            empty={(invites ?? []).every((i) => i.role !== role)}
            emptyText={`No ${role} link yet. Create one to invite ${title.toLowerCase()}.`}
            onRetry={() => void query.refetch()}
          >
            <InviteList
              invites={(invites ?? []).filter((i) => i.role === role)}
              onEdit={(invite) => {
                update.reset();
                setEditing(invite.code);
              }}
              onRevoke={(invite) => {
                revoke.reset();
                setRevoking(invite.code);
              }}
            />
          </LoadState>
        </Stack>
      ))}
      {editingInvite && (
        <InviteLimitsDialog
          key={editingInvite.code}
          invite={editingInvite}
          busy={update.isPending}
          error={update.error ? errorMessage(update.error) : null}
          onCancel={() => setEditing(null)}
          onSave={(body) => update.mutate({ code: editingInvite.code, body }, { onSuccess: () => setEditing(null) })}
        />
      )}
      {revokingInvite && (
        <RevokeInviteDialog
          key={revokingInvite.code}
          invite={revokingInvite}
          busy={revoke.isPending}
          onCancel={() => setRevoking(null)}
          onRevoke={(mode) =>
            revoke.mutate({ code: revokingInvite.code, mode }, { onSettled: () => setRevoking(null) })
          }
        />
      )}
      {/* Deleting participants' data is the owners' alone (the server refuses anyone else). */}
      {role !== undefined && roleAllows(role, 'manage') && <DeleteParticipant studyId={studyId} />}
    </Stack>
  );
}
