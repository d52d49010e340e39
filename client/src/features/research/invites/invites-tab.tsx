import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useEffect } from 'react';
import type { ParticipantRole } from '../../../../../shared/schemas/identity.ts';
import { useAppStore } from '../../../store/index.ts';
import { dataFor } from '../../../store/loadable.ts';
import { LoadState } from '../load-state.tsx';
import { InviteList } from './invite-list.tsx';

const ROLES: { role: ParticipantRole; title: string; text: string }[] = [
  {
    role: 'actor',
    title: 'Persona actors',
    text: 'play a persona in a live chat with the model, then rate its answer',
  },
  { role: 'rater', title: 'Raters', text: 'score answers against the persona’s rubric, blind to model and condition' },
];

/** Invitation links per role, ready to paste into Prolific. */
export function InvitesTab() {
  const studyId = useAppStore((s) => s.selectedStudyId);
  const loadable = useAppStore((s) => s.invites);
  const load = useAppStore((s) => s.loadInvites);
  const create = useAppStore((s) => s.createInvite);
  const busy = useAppStore((s) => s.inviteBusy);
  const error = useAppStore((s) => s.inviteError);
  const status = useAppStore((s) => dataFor(s.studySettings, s.selectedStudyId)?.settings?.status ?? null);
  const invites = dataFor(loadable, studyId);

  useEffect(() => {
    if (studyId !== null) void load();
  }, [studyId, load]);

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
            <Button variant="outlined" loading={busy === role} onClick={() => void create(role)}>
              New {role} link
            </Button>
          </Stack>
          <LoadState
            what="the invitation links"
            loading={loadable.loading}
            error={loadable.error}
            loaded={invites !== null}
            empty={(invites ?? []).every((i) => i.role !== role)}
            emptyText={`No ${role} link yet. Create one to invite ${title.toLowerCase()}.`}
            onRetry={() => void load()}
          >
            <InviteList invites={(invites ?? []).filter((i) => i.role === role)} />
          </LoadState>
        </Stack>
      ))}
    </Stack>
  );
}
