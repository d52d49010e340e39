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
import { copyText, inviteUrl } from './invite-url.ts';

/** One role's links: the full URL in a read-only field (select it by hand if copying is refused), copy, revoke. */
export function InviteList({
  invites,
  busy,
  onRevoke,
}: {
  invites: Invite[];
  /** The code being revoked (or the role being created), if any. */
  busy: string | null;
  onRevoke: (code: string) => void;
}) {
  const [notice, setNotice] = useState<string | null>(null);
  // Revoking cannot be undone (people who already joined keep their sessions), so it takes a second click.
  const [confirming, setConfirming] = useState<string | null>(null);

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
        return (
          <Paper key={invite.code} variant="outlined" sx={{ p: 1.5, opacity: invite.revoked ? 0.6 : 1 }}>
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
                <Typography variant="caption" color="text.secondary" sx={{ whiteSpace: 'nowrap' }}>
                  {dateTime(invite.createdAt)}
                </Typography>
                {invite.revoked ? (
                  <Chip size="small" label="revoked" />
                ) : (
                  <>
                    <Button
                      variant="contained"
                      size="small"
                      onClick={() => void copy(url, document.getElementById(fieldId) as HTMLInputElement | null)}
                      aria-label={`Copy ${invite.role} link`}
                    >
                      Copy
                    </Button>
                    {confirming === invite.code ? (
                      <>
                        <Button
                          size="small"
                          color="error"
                          variant="contained"
                          loading={busy === invite.code}
                          onClick={() => onRevoke(invite.code)}
                        >
                          Revoke for good
                        </Button>
                        <Button size="small" onClick={() => setConfirming(null)}>
                          Keep
                        </Button>
                      </>
                    ) : (
                      <Button
                        size="small"
                        color="error"
                        onClick={() => setConfirming(invite.code)}
                        aria-label={`Revoke ${invite.role} link`}
                      >
                        Revoke…
                      </Button>
                    )}
                  </>
                )}
              </Stack>
            </Stack>
          </Paper>
        );
      })}
      <Snackbar open={notice !== null} autoHideDuration={5000} onClose={() => setNotice(null)} message={notice} />
    </Stack>
  );
}
