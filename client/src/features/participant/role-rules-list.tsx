import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { ParticipantRole } from '../../../../shared/schemas/identity.ts';
import { useTranslation } from '../../i18n/index.ts';
import { rulesFor } from './role-rules.ts';

/** The rules of a role as a numbered list, each led by its short rule in bold: the instructions step and drawer. */
export function RoleRulesList({ role }: { role: ParticipantRole }) {
  useTranslation(); // re-renders the rules in the participant's language
  return (
    <Box component="ol" sx={{ pl: 3, m: 0, '& li': { mb: 1.25 } }}>
      {rulesFor(role).map(([lead, rest]) => (
        <li key={lead}>
          <Typography>
            <strong>{lead}</strong>
            {` ${rest}`}
          </Typography>
        </li>
      ))}
    </Box>
  );
}
