import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';

/** A section of a console tab: heading, one line of counts, how to read it (optional), then its tables and plots. */
export function TabSection({
  title,
  summary,
  help,
  children,
}: {
  title: string;
  summary: string;
  help?: string;
  children: ReactNode;
}) {
  return (
    <Stack spacing={1.5} component="section" aria-label={title}>
      <Stack direction="row" spacing={2} sx={{ alignItems: 'baseline', flexWrap: 'wrap' }}>
        <Typography variant="h3" component="h2">
          {title}
        </Typography>
        <Typography variant="body2" color="text.secondary">
          {summary}
        </Typography>
      </Stack>
      {help && (
        <Typography variant="body2" color="text.secondary">
          {help}
        </Typography>
      )}
      {children}
    </Stack>
  );
}
