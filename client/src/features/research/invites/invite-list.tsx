import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Snackbar from '@mui/material/Snackbar';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import type { Invite } from '../../../../../shared/schemas/api-studies.ts';
import { dateTime } from '../format.ts';
import { inviteState, usageText, type InviteState } from './invite-status.ts';
import { copyText, inviteUrl } from './invite-url.ts';

const STATE_CHIP: Record<Exclude<InviteState, 'open'>, { label: string; color: 'default' | 'warning' }> = {
  full: { label: 'full', color: 'warning' },
  expired: { label: 'expired', color: 'warning' },
  revoked: { label: 'revoked', color: 'default' },
};

/** What the line under a link says: who joined, who is at work, the limits and how a revoke treated people. */
function details(invite: Invite): string {
  const parts = [usageText(invite), `${invite.midTask} mid-task`];
  if (invite.expiresAt !== null) parts.push(`expires ${dateTime(invite.expiresAt)}`);
  if (invite.revokeMode === 'finish') parts.push('people who joined may finish');
  if (invite.revokeMode === 'lock') parts.push('everyone locked out');
  parts.push(`created ${dateTime(invite.createdAt)}`);
  return parts.join(' · ');
}

/**
 * One role's links: the label, the full URL in a read-only field (select it by hand if copying is refused), use
 * counts and limits, and copy, edit and revoke.
 */
export function InviteList({
  invites,
  onEdit,
  onRevoke,
}: {
  invites: Invite[];
  onEdit: (invite: Invite) => void;
  onRevoke: (invite: Invite) => void;
}) {
  const [notice, setNotice] = useState<string | null>(null);

  const copy = async (url: string, field: HTMLInputElement | null) => {
    if (await copyText(url)) {
      setNotice('Link copied, with the Prolific parameters.');
    } else {
      field?.select();
      setNotice('Copying was refused by the browser. The link is selected: press Ctrl+C (⌘C on a Mac).');
    }
  };

  return (
    <Stack spacing={1}>
      {invites.map((invite) => {
        const url = inviteUrl(invite.path);
        const fieldId = `invite-${invite.code}`;
        const state = inviteState(invite);
        return (
          <Paper
            key={invite.code}
            variant="outlined"
            // A revoked link is set apart by a dashed, greyed card, not by fading: faded text would be unreadable
            // (the chip and the field's label say "revoked" in words).
            sx={{ p: 1.5, ...(invite.revoked && { bgcolor: 'grey.100', borderStyle: 'dashed' }) }}
            role="group"
            aria-label={invite.label || `${invite.role} invitation`}
          >
            <Stack spacing={1}>
              {invite.label !== '' && (
                <Typography variant="subtitle2" component="h3">
                  {invite.label}
                </Typography>
              )}
              <Stack direction={{ xs: 'column', md: 'row' }} spacing={1.5} sx={{ alignItems: { md: 'center' } }}>
                <TextField
                  id={fieldId}
                  label={`${invite.role} link${invite.revoked ? ' (revoked)' : ''}`}
                  value={url}
                  size="small"
                  fullWidth
                  slotProps={{
                    htmlInput: {
                      readOnly: true,
                      spellCheck: false,
                      style: { fontFamily: 'monospace', fontSize: '0.8rem' },
                    },
                  }}
                  onFocus={(e) => e.target.select()}
                />
                <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexShrink: 0 }}>
                  {state !== 'open' && (
                    <Chip size="small" label={STATE_CHIP[state].label} color={STATE_CHIP[state].color} />
                  )}
                  {!invite.revoked && (
                    <>
                      <Button
                        variant="contained"
                        size="small"
                        onClick={() => void copy(url, document.getElementById(fieldId) as HTMLInputElement | null)}
                        aria-label={`Copy ${invite.role} link`}
                      >
                        Copy
                      </Button>
                      <Button size="small" onClick={() => onEdit(invite)} aria-label={`Edit ${invite.role} link`}>
                        Edit…
                      </Button>
                      <Button
                        size="small"
                        color="error"
                        onClick={() => onRevoke(invite)}
                        aria-label={`Revoke ${invite.role} link`}
                      >
                        Revoke…
                      </Button>
                    </>
                  )}
                </Stack>
              </Stack>
              <Typography variant="caption" color="text.secondary">
                {details(invite)}
              </Typography>
            </Stack>
          </Paper>
        );
      })}
      <Snackbar open={notice !== null} autoHideDuration={5000} onClose={() => setNotice(null)} message={notice} />
    </Stack>
  );
}
