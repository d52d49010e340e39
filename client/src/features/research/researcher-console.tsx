import AppBar from '@mui/material/AppBar';
import Box from '@mui/material/Box';
import Container from '@mui/material/Container';
import Link from '@mui/material/Link';
import Toolbar from '@mui/material/Toolbar';
import Typography from '@mui/material/Typography';
import { QueryClientProvider } from '@tanstack/react-query';
import type { MouseEvent } from 'react';
import { navigate } from '../../app/router.ts';
import { queryClient } from '../../query/query-client.ts';
import { AccountMenu } from '../auth/account-menu.tsx';
import { AuthGate } from '../auth/auth-gate.tsx';
import { EpisodeDialog } from './episodes/episode-dialog.tsx';
import { ServerVersion } from './server-version.tsx';
import { StudiesView } from './studies-view.tsx';

const MAIN_ID = 'console-main';

/**
 * The whole researcher side: app bar, sign-in (or first-run setup), and the console's pages, over the console's query
 * cache. App lazy-loads this module, so everything researcher-only (its HTTP code, TanStack Query) stays out of a
 * participant's download.
 */
export function ResearcherConsole() {
  return (
    <QueryClientProvider client={queryClient}>
      <ConsoleLayout />
    </QueryClientProvider>
  );
}

function ConsoleLayout() {
  const home = (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    navigate('/');
  };

  return (
    <Box sx={{ minHeight: '100vh', display: 'flex', flexDirection: 'column' }}>
      {/* Nine tabs and a toolbar come before the content: keyboard users can jump past them. */}
      <Link href={`#${MAIN_ID}`} sx={skipLinkSx}>
        Skip to content
      </Link>
      <AppBar position="sticky">
        <Toolbar variant="dense" sx={{ gap: 2 }}>
          <Typography variant="h1" component="p" noWrap sx={{ flexGrow: 1, flexShrink: 0 }}>
            <Link href="/" onClick={home} color="inherit" underline="hover">
              PrefDisco Live
            </Link>
          </Typography>
          <ServerVersion />
          <AccountMenu />
        </Toolbar>
      </AppBar>
      <Container component="main" id={MAIN_ID} tabIndex={-1} maxWidth="xl" sx={{ py: 3, flexGrow: 1, outline: 'none' }}>
        <AuthGate>
          <StudiesView />
          <EpisodeDialog />
        </AuthGate>
      </Container>
    </Box>
  );
}

const skipLinkSx = {
  position: 'absolute',
  left: 8,
  top: -48,
  zIndex: 2000,
  px: 2,
  py: 1,
  bgcolor: 'background.paper',
  borderRadius: 1,
  '&:focus': { top: 8 },
} as const;
