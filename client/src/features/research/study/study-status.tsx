import Chip from '@mui/material/Chip';
import type { StudyStatus } from '../../../../../shared/schemas/live-study.ts';

const COLORS: Record<StudyStatus, 'default' | 'success' | 'warning' | 'error'> = {
  draft: 'default',
  open: 'success',
  paused: 'warning',
  closed: 'error',
};

const MEANINGS: Record<StudyStatus, string> = {
  draft: 'Draft: invitation links do not admit anyone yet',
  open: 'Open: participants can join, play and rate',
  paused: 'Paused: no new work is handed out; work in hand can finish',
  closed: 'Closed: final; nothing more is handed out',
};

/** The study's live status; `null` while unknown, `unconfigured` before the settings were ever saved. */
export function StudyStatusChip({ status }: { status: StudyStatus | 'unconfigured' | null }) {
  if (status === null) return <Chip size="small" variant="outlined" label="status …" />;
  if (status === 'unconfigured') {
    return (
      <Chip
        size="small"
        variant="outlined"
        label="draft · not configured"
        aria-label="Status: draft, settings never saved"
      />
    );
  }
  return (
    <Chip size="small" color={COLORS[status]} label={status} aria-label={MEANINGS[status]} title={MEANINGS[status]} />
  );
}
