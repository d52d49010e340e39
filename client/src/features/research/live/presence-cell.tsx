import Box from '@mui/material/Box';
import type { ParticipantPresence } from '../../../../../shared/schemas/api-research.ts';
import { dateTime, localTime } from '../format.ts';

const DOT_COLORS = { online: 'success.main', idle: 'warning.main', disconnected: 'text.disabled' } as const;

/** Presence changes within minutes, so the time of day (with seconds) is enough; the full date is in the title. */
function clock(iso: string): string {
  return localTime(iso, (d) => d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' }));
}

/** "● idle / since 12:03:10": whether the actor's browser is there now (the state is a word, not only a colour). */
export function PresenceCell({ presence }: { presence: ParticipantPresence }) {
  const title = [
    presence.since
      ? `${presence.state} since ${dateTime(presence.since)}`
      : `${presence.state} (since the server started)`,
    presence.lastInputAt ? `last request from the browser ${dateTime(presence.lastInputAt)}` : null,
  ]
    .filter(Boolean)
    .join('; ');
  return (
    <Box title={title} sx={{ whiteSpace: 'nowrap', fontSize: '0.8rem' }}>
      <Box component="span" sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.75 }}>
        <Box
          component="span"
          aria-hidden
          sx={{ width: 8, height: 8, borderRadius: '50%', bgcolor: DOT_COLORS[presence.state], flexShrink: 0 }}
        />
        {presence.state}
      </Box>
      <Box component="span" sx={{ display: 'block', color: 'text.secondary' }}>
        {presence.since ? `since ${clock(presence.since)}` : 'not seen yet'}
      </Box>
    </Box>
  );
}
