import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import { useId, useState, type ReactNode } from 'react';

export interface ContextPanel {
  id: string;
  /** What the open panel is called (its region's name for screen readers). */
  title: string;
  /** The button's text while the panel is closed, and while it is open. */
  show: string;
  hide: string;
  content: ReactNode;
}

/**
 * On a phone, what is being rated (the answer, the task, who asked) one tap from the criterion on screen: a bar that
 * stays at the top of the screen (under the app bar) with a button per panel; an open panel scrolls inside itself, so
 * the criterion below stays in view. One panel is open at a time.
 */
export function PhoneContextBar({ panels, initial }: { panels: ContextPanel[]; initial: string | null }) {
  const [open, setOpen] = useState<string | null>(initial);
  const base = useId();
  const shown = panels.find((p) => p.id === open);
  return (
    <Box
      sx={{
        position: 'sticky',
        top: 48,
        zIndex: 2,
        bgcolor: 'background.default',
        // Edge to edge over the page's side padding (the Container's gutters), so content never shows beside it.
        mx: { xs: -2, sm: -3 },
        px: { xs: 2, sm: 3 },
        py: 1,
        borderBottom: 1,
        borderColor: 'divider',
      }}
    >
      <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
        {panels.map((p) => (
          <Button
            key={p.id}
            size="small"
            variant={open === p.id ? 'contained' : 'outlined'}
            aria-expanded={open === p.id}
            aria-controls={`${base}-${p.id}`}
            onClick={() => setOpen(open === p.id ? null : p.id)}
          >
            {open === p.id ? p.hide : p.show}
          </Button>
        ))}
      </Box>
      {shown && (
        <Box
          id={`${base}-${shown.id}`}
          role="region"
          aria-label={shown.title}
          // Scrolls on its own, so keyboard users must be able to reach it to scroll it.
          tabIndex={0}
          sx={{ mt: 1, maxHeight: '42dvh', overflowY: 'auto', overscrollBehavior: 'contain', borderRadius: 1 }}
        >
          {shown.content}
        </Box>
      )}
    </Box>
  );
}
