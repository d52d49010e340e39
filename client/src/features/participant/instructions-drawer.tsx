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
        <Stack spacing={2} sx={{ p: 2 }}>
          <Box sx={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between' }}>
            <Typography id="instructions-drawer-title" variant="h3" component="h2">
              {t('drawer.instructions')}
            </Typography>
            <IconButton aria-label={t('drawer.closeInstructions')} onClick={() => setOpen(false)}>
              <span aria-hidden>×</span>
            </IconButton>
          </Box>
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
          <Box>
            <Button variant="contained" onClick={() => setOpen(false)}>
              {t('drawer.backToTask')}
            </Button>
          </Box>
        </Stack>
      </Drawer>
    </>
  );
}
