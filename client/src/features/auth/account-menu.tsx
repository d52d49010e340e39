import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Snackbar from '@mui/material/Snackbar';
import Typography from '@mui/material/Typography';
import { useAppStore } from '../../store/index.ts';

/** The app bar's account corner: who is signed in, and signing out. */
export function AccountMenu() {
  const researcher = useAppStore((s) => s.researcher);
  const busy = useAppStore((s) => s.authBusy);
  const error = useAppStore((s) => s.authError);
  const signOut = useAppStore((s) => s.signOut);
  const dismissAuthError = useAppStore((s) => s.dismissAuthError);
  if (!researcher) return null;

  return (
    <>
      <Typography
        variant="body2"
        sx={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis', minWidth: 0 }}
      >
        {/* Phones have no room for the words; the name stays. */}
        <Box component="span" sx={{ display: { xs: 'none', sm: 'inline' } }}>
          Signed in as{' '}
        </Box>
        <strong>{researcher.username}</strong>
      </Typography>
      <Button
        color="inherit"
        variant="outlined"
        size="small"
        loading={busy}
        onClick={() => void signOut()}
        sx={{ borderColor: 'rgba(255,255,255,0.6)', flexShrink: 0 }}
      >
        Sign out
      </Button>
      <Snackbar
        open={error !== null}
        onClose={dismissAuthError}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }}
      >
        <Alert severity="error" variant="filled" onClose={dismissAuthError}>
          {error}
        </Alert>
      </Snackbar>
    </>
  );
}
