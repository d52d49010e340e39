import { useTranslation } from '../../i18n/index.ts';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Drawer from '@mui/material/Drawer';
import IconButton from '@mui/material/IconButton';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import type { ParticipantRole } from '../../../../shared/schemas/identity.ts';
import { RoleRulesList } from './role-rules-list.tsx';
import { useParticipantStudy } from './use-participant-study.ts';

/**
 * The participant's instructions, reachable at any time during the task: a button that opens a side panel with the
 * rules of their role and the study's own instructions (shown as plain text: the researcher's text is not markup).
 */
export function InstructionsDrawer({ role }: { role: ParticipantRole }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const study = useParticipantStudy();
  const own = study?.instructions.trim() ?? '';
  return (
    <>
      <Button variant="outlined" size="small" onClick={() => setOpen(true)} aria-haspopup="dialog">
        {t('drawer.instructions')}
      </Button>
      <Drawer
        anchor="right"
        open={open}
        onClose={() => setOpen(false)}
        // The drawer's paper is the dialog (MUI gives it role="dialog"); its title names it.
        slotProps={{
          paper: { 'aria-labelledby': 'instructions-drawer-title', sx: { width: { xs: '100%', sm: 440 } } },
        }}
      >
        {/* Header and footer stay put and only the text between them scrolls, so both ways back to the task are in
            view however long the instructions are (a laptop's 860 px height put the footer's button below the fold). */}
        <Box
          sx={{
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            px: 2,
            py: 1,
            flexShrink: 0,
            borderBottom: 1,
            borderColor: 'divider',
          }}
        >
          <Typography id="instructions-drawer-title" variant="h3" component="h2">
            {t('drawer.instructions')}
          </Typography>
          <IconButton aria-label={t('drawer.closeInstructions')} onClick={() => setOpen(false)}>
            <span aria-hidden>×</span>
          </IconButton>
        </Box>
        {/* Focusable, so a keyboard can scroll it too. */}
        <Stack
          spacing={2}
          tabIndex={0}
          role="region"
          aria-labelledby="instructions-drawer-title"
          sx={{ p: 2, flexGrow: 1, minHeight: 0, overflowY: 'auto' }}
        >
          {own && (
            <Box>
              <Typography variant="overline" component="h3" color="text.secondary">
                {t('drawer.fromResearchers')}
              </Typography>
              <Typography sx={{ whiteSpace: 'pre-wrap' }}>{own}</Typography>
            </Box>
          )}
          <Box>
            <Typography variant="overline" component="h3" color="text.secondary">
              {role === 'actor' ? t('drawer.howChatWorks') : t('drawer.howRatingWorks')}
            </Typography>
            <RoleRulesList role={role} />
          </Box>
        </Stack>
        <Box sx={{ px: 2, py: 1.5, flexShrink: 0, borderTop: 1, borderColor: 'divider' }}>
          <Button variant="contained" onClick={() => setOpen(false)}>
            {t('drawer.backToTask')}
          </Button>
        </Box>
      </Drawer>
    </>
  );
}
