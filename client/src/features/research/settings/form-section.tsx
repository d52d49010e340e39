import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useId, type ReactNode } from 'react';
import type { DraftField, FieldErrors, SettingsDraft } from './settings-draft.ts';

/** What every settings section receives: the draft, its errors, and how to change one field. */
export interface SectionProps {
  draft: SettingsDraft;
  errors: FieldErrors;
  disabled: boolean;
  change: <K extends DraftField>(field: K, value: SettingsDraft[K]) => void;
}

/** A titled group of fields; the heading names the group for screen readers. */
export function FormSection({
  title,
  description,
  children,
}: {
  title: string;
  description?: string;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <Paper variant="outlined" component="section" aria-labelledby={id} sx={{ p: { xs: 2, md: 2.5 } }}>
      <Stack spacing={2}>
        <div>
          <Typography id={id} variant="h3" component="h2">
            {title}
          </Typography>
          {description && (
            <Typography variant="body2" color="text.secondary">
              {description}
            </Typography>
          )}
        </div>
        {children}
      </Stack>
    </Paper>
  );
}
