import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { useAppStore } from '../../store/index.ts';
import { AuthCard } from './auth-card.tsx';
import { SetupForm } from './setup-form.tsx';
import { setupTokenFrom } from './setup-link.ts';

const TITLE = 'Create the first researcher account';

/**
 * First run: no researcher account exists yet. Only a browser on the server's own machine may create one, and only
 * through the setup link the server printed on its console (it carries a one-time token).
 */
export function SetupCard() {
  const fromThisMachine = useAppStore((s) => s.setupFromThisMachine);
  const checkSession = useAppStore((s) => s.checkSession);
  const setupToken = setupTokenFrom(window.location);

  if (!fromThisMachine) {
    return (
      <AuthCard title={TITLE}>
        <Typography>This server has no researcher account yet.</Typography>
        <Alert role="note" severity="info">
          For safety, the first account can only be created in a browser on the machine the server runs on. Create it on
          the server instead, in the app's folder, then reload this page and sign in. (On a server set up with the
          deployment guide, run <code>deploy/prefdisco-cli</code> as the service's user in place of{' '}
          <code>npx prefdisco</code>, so the account goes into the service's database.)
        </Alert>
        <Box
          component="pre"
          sx={{ m: 0, p: 1.5, bgcolor: 'grey.100', borderRadius: 1, whiteSpace: 'pre-wrap', fontSize: '0.8125rem' }}
        >
          {/* Wrap between words on narrow screens, never inside "--username". */}
          <code>
            npx prefdisco admin create{' '}
            <Box component="span" sx={{ whiteSpace: 'nowrap' }}>
              --username NAME
            </Box>
          </code>
        </Box>
        <Button variant="outlined" onClick={() => void checkSession()}>
          Check again
        </Button>
      </AuthCard>
    );
  }
  if (setupToken === null) {
    return (
      <AuthCard title={TITLE}>
        <Typography>This server has no researcher account yet.</Typography>
        <Alert role="note" severity="info">
          To create it, open the setup link the server printed in its console (the terminal or service log where it was
          started): it looks like <code>http://localhost:5170/setup#token=…</code> and works once. Or create the account
          on the server with <code>npx prefdisco admin create --username NAME</code>, then reload this page.
        </Alert>
        <Button variant="outlined" onClick={() => void checkSession()}>
          Check again
        </Button>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={TITLE}>
      <Typography variant="body2" color="text.secondary">
        This server has no researcher account yet. Create the first one here: this is possible only once, and only from
        a browser on the machine the server runs on. Add further accounts later with{' '}
        <code>npx prefdisco admin create</code>.
      </Typography>
      <SetupForm setupToken={setupToken} />
    </AuthCard>
  );
}
