import { useTranslation } from '../../i18n/index.ts';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Drawer from '@mui/material/Drawer';
import IconButton from '@mui/material/IconButton';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useState, type ReactNode } from 'react';

/**
 * On a phone, the persona and hidden preferences one tap from the chat: a button opening a drawer from the bottom.
 * The drawer lies over the chat, which stays mounted underneath, so the reply being typed is kept; closing it returns
 * focus to the button.
 */
export function PhonePersonaDrawer({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="contained" size="small" onClick={() => setOpen(true)} aria-haspopup="dialog">
        {t('drawer.persona')}
      </Button>
      <Drawer
        anchor="bottom"
        open={open}
        onClose={() => setOpen(false)}
        slotProps={{
          // The drawer's paper is the dialog (MUI gives it the role); its name is the title inside.
          paper: {
            'aria-labelledby': 'persona-drawer-title',
            sx: { maxHeight: '88dvh', borderTopLeftRadius: 12, borderTopRightRadius: 12 },
          },
        }}
      >
        <Stack spacing={2} sx={{ p: 2 }}>
          <Box sx={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between' }}>
            <Typography id="persona-drawer-title" variant="h3" component="h2">
              {t('drawer.yourPersona')}
            </Typography>
            <IconButton aria-label={t('drawer.closePersona')} onClick={() => setOpen(false)}>
              <span aria-hidden>×</span>
            </IconButton>
          </Box>
          {children}
          <Box>
            <Button variant="contained" onClick={() => setOpen(false)}>
              {t('drawer.backToChat')}
            </Button>
          </Box>
        </Stack>
      </Drawer>
    </>
  );
}
