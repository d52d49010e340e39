import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { ParticipantRole } from '../../../../../shared/schemas/identity.ts';
import { errorMessage } from '../../../http/request.ts';
import { LoadState } from '../load-state.tsx';
import { queryState } from '../query-state.ts';
import { useStudySettings } from '../settings/use-settings.ts';
import { InviteList } from './invite-list.tsx';
import { useCreateInvite, useInvites, useRevokeInvite } from './use-invites.ts';

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
  const revoke = useRevokeInvite(studyId);
  const status = useStudySettings(studyId).data?.status ?? null;
  const invites = query.data;
  // The role being created, or the code being revoked: one change at a time.
  const busy = create.isPending ? create.variables : revoke.isPending ? revoke.variables : null;
  const failed = create.error ?? revoke.error;
  const error = failed ? errorMessage(failed) : null;
  const change = (run: () => void) => {
    if (busy !== null) return;
    create.reset();
    revoke.reset();
    run();
  };

  return (
    <Stack spacing={2.5}>
      <Typography variant="body2" color="text.secondary">
        Each link admits people into one role of this study. On Prolific, paste the whole link: it already ends with the
        PROLIFIC_PID, STUDY_ID and SESSION_ID placeholders Prolific fills in.
      </Typography>
      {status !== 'open' && (
        <Alert severity="warning" variant="outlined">
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
            <Button variant="outlined" loading={busy === role} onClick={() => change(() => create.mutate(role))}>
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
              busy={busy}
              onRevoke={(code) => change(() => revoke.mutate(code))}
            />
          </LoadState>
        </Stack>
      ))}
    </Stack>
  );
}
