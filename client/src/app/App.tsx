import AppBar from '@mui/material/AppBar';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Container from '@mui/material/Container';
import Toolbar from '@mui/material/Toolbar';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useEffect } from 'react';
import { AccountMenu } from '../features/auth/account-menu.tsx';
import { AuthGate } from '../features/auth/auth-gate.tsx';
import { StudiesView } from '../features/research/studies-view.tsx';
import { useAppStore } from '../store/index.ts';

/** One screen for now (no router yet): the research view of imported studies, behind the researcher's sign-in. */
export function App() {
  const loadHealth = useAppStore((s) => s.loadHealth);

  useEffect(() => {
    void loadHealth();
  }, [loadHealth]);

  return (
    <Box sx={{ minHeight: '100vh', display: 'flex', flexDirection: 'column' }}>
      <AppBar position="sticky">
        <Toolbar variant="dense" sx={{ gap: 2 }}>
          <Typography variant="h1" component="h1" sx={{ flexGrow: 1 }}>
            PrefDisco Live
          </Typography>
          <ServerVersion />
          <AccountMenu />
        </Toolbar>
      </AppBar>
      <Container component="main" maxWidth="xl" sx={{ py: 3, flexGrow: 1 }}>
        <AuthGate>
          <StudiesView />
        </AuthGate>
      </Container>
    </Box>
  );
}

function ServerVersion() {
  const version = useAppStore((s) => s.serverVersion);
  const error = useAppStore((s) => s.serverError);
  if (error) {
    return (
      <Tooltip describeChild title={error}>
        <Chip size="small" color="warning" label="server unreachable" tabIndex={0} />
      </Tooltip>
    );
  }
  return (
    <Chip
      size="small"
      variant="outlined"
      label={version ? `server v${version}` : 'server …'}
      aria-label={version ? `Server version ${version}` : 'Checking server version'}
      // Phones need the room for the account; an unreachable server still shows (above).
      sx={{ color: 'inherit', borderColor: 'rgba(255,255,255,0.6)', display: { xs: 'none', sm: 'inline-flex' } }}
    />
  );
}
