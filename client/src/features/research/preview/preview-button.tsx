import Button from '@mui/material/Button';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import { useState } from 'react';
import type { ParticipantRole } from '../../../../../shared/schemas/identity.ts';
import { PreviewDialog } from './preview-dialog.tsx';

/** "Preview" in the study header: opens the participant pages of the chosen role, recording nothing. */
export function PreviewButton({ studyId }: { studyId: string }) {
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const [role, setRole] = useState<ParticipantRole | null>(null);
  const open = (r: ParticipantRole): void => {
    setAnchor(null);
    setRole(r);
  };
  return (
    <>
      <Button
        variant="outlined"
        sx={{ alignSelf: { xs: 'flex-start', md: 'center' } }}
        onClick={(e) => setAnchor(e.currentTarget)}
        aria-haspopup="menu"
        aria-expanded={anchor !== null}
        aria-controls={anchor ? 'preview-menu' : undefined}
      >
        Preview
      </Button>
      <Menu id="preview-menu" anchorEl={anchor} open={anchor !== null} onClose={() => setAnchor(null)}>
        <MenuItem onClick={() => open('actor')}>Actor’s pages</MenuItem>
        <MenuItem onClick={() => open('rater')}>Rater’s pages</MenuItem>
      </Menu>
      <PreviewDialog studyId={studyId} role={role} onRole={setRole} onClose={() => setRole(null)} />
    </>
  );
}
