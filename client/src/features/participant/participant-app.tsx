import AppBar from '@mui/material/AppBar';
import Box from '@mui/material/Box';
import Container from '@mui/material/Container';
import Toolbar from '@mui/material/Toolbar';
import Typography from '@mui/material/Typography';
import type { Route } from '../../app/router.ts';
import { ConnectionBanner } from './connection-banner.tsx';
import { DonePage } from './done-page.tsx';
import { JoinPage } from './join-page.tsx';
import { ParticipantGate } from './participant-gate.tsx';
import { PlayPage } from './play-page.tsx';
import { RatePage } from './rate-page.tsx';

type ParticipantRoute = Exclude<Route, { name: 'researcher' }>;

/** The participants' side: a plain frame (no researcher menus) around the page of the current step. */
export function ParticipantApp({ route }: { route: ParticipantRoute }) {
  return (
    <Box sx={{ minHeight: '100vh', display: 'flex', flexDirection: 'column' }}>
      <AppBar position="sticky">
        <Toolbar variant="dense">
          <Typography variant="h1" component="p">
            PrefDisco Live{' '}
            <Box component="span" sx={{ fontWeight: 400, opacity: 0.85 }}>
              · research study
            </Box>
          </Typography>
        </Toolbar>
      </AppBar>
      <ConnectionBanner />
      <Container component="main" maxWidth="xl" sx={{ py: { xs: 2, md: 3 }, flexGrow: 1 }}>
        <ParticipantPage route={route} />
      </Container>
    </Box>
  );
}

function ParticipantPage({ route }: { route: ParticipantRoute }) {
  switch (route.name) {
    case 'join':
      return <JoinPage code={route.code} />;
    case 'play':
      return <ParticipantGate role="actor">{() => <PlayPage />}</ParticipantGate>;
    case 'rate':
      return <ParticipantGate>{(p) => <RatePage role={p.role} />}</ParticipantGate>;
    case 'done':
      return <ParticipantGate>{() => <DonePage />}</ParticipantGate>;
  }
}
