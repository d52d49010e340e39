import Chip from '@mui/material/Chip';
import type { StudyRole } from '../../../../shared/schemas/study-access.ts';

/** What each role may do in a study, in one line (shared/schemas/study-access.ts has the rule itself). */
export const ROLE_TEXT: Record<StudyRole, { label: string; text: string }> = {
  owner: {
    label: 'Owner',
    text: 'everything, including deleting participants’ data, sharing the study and reading its audit log',
  },
  collaborator: {
    label: 'Collaborator',
    text: 'all the study’s work (settings, imports, invites, runs, live monitor, assignments), but not deleting participants’ data or sharing',
  },
  viewer: {
    label: 'Viewer',
    text: 'reads results, agreement and exports; sees no live transcript and changes nothing',
  },
};

/** The signed-in researcher's role in a study, as a small chip; its title says what the role may do. */
export function StudyRoleChip({ role, component }: { role: StudyRole; component?: 'span' | 'div' }) {
  const { label, text } = ROLE_TEXT[role];
  return (
    <Chip
      component={component ?? 'div'}
      size="small"
      variant="outlined"
      color={role === 'owner' ? 'primary' : 'default'}
      label={`Role: ${label.toLowerCase()}`}
      title={`Your role in this study: ${label.toLowerCase()} — ${text}`}
    />
  );
}
