import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { useRef, useState, type FormEvent } from 'react';
import { useAppStore } from '../../store/index.ts';
import { AuthCard } from './auth-card.tsx';
import { sentence } from './sentence.ts';

/** Username and password for a researcher; Enter in either field submits. */
export function SignInCard() {
  const signIn = useAppStore((s) => s.signIn);
  const busy = useAppStore((s) => s.authBusy);
  const error = useAppStore((s) => s.authError);
  const notice = useAppStore((s) => s.authNotice);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState(false);
  const passwordRef = useRef<HTMLInputElement>(null);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    if (username.trim() === '' || password === '') {
      setMissing(true);
      return;
    }
    setMissing(false);
    if (!(await signIn({ username: username.trim(), password }))) {
      // Wrong password is the usual reason: clear it and let the researcher type it again.
      setPassword('');
      passwordRef.current?.focus();
    }
  };

  return (
    <AuthCard title="Sign in">
      {notice && (
        <Alert role="status" severity="info">
          {notice}
        </Alert>
      )}
      {error && <Alert severity="error">{sentence(error)}</Alert>}
      <Stack component="form" spacing={2} noValidate aria-label="Sign in" onSubmit={(e) => void onSubmit(e)}>
        <TextField
          label="Username"
          name="username"
          autoComplete="username"
          autoFocus
          required
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          error={missing && username.trim() === ''}
          helperText={missing && username.trim() === '' ? 'Enter your username' : undefined}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          inputRef={passwordRef}
          error={missing && password === ''}
          helperText={missing && password === '' ? 'Enter your password' : undefined}
        />
        <Button type="submit" variant="contained" size="large" loading={busy}>
          Sign in
        </Button>
      </Stack>
    </AuthCard>
  );
}
