import AppBar from '@mui/material/AppBar';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Container from '@mui/material/Container';
import Toolbar from '@mui/material/Toolbar';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useEffect } from 'react';
import { StudiesView } from '../features/research/studies-view.tsx';
import { useAppStore } from '../store/index.ts';

/** One screen for now (no router yet): the research view of imported studies. */
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
        </Toolbar>
      </AppBar>
      <Container component="main" maxWidth="xl" sx={{ py: 3, flexGrow: 1 }}>
        <StudiesView />
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
      sx={{ color: 'inherit', borderColor: 'rgba(255,255,255,0.6)' }}
    />
  );
}
