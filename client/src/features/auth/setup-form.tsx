import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { useState, type ChangeEvent, type FormEvent } from 'react';
import { navigate } from '../../app/router.ts';
import { useAppStore } from '../../store/index.ts';
import { checkSetupForm, MIN_PASSWORD_LENGTH, type SetupForm as Fields } from './setup-form-checks.ts';
import { sentence } from './sentence.ts';

const EMPTY: Fields = { username: '', password: '', confirm: '' };

/**
 * Username, password and its confirmation for the first account; checked here, then by the server, which also wants
 * the one-time token from the setup link.
 */
export function SetupForm({ setupToken }: { setupToken: string }) {
  const createFirstAccount = useAppStore((s) => s.createFirstAccount);
  const busy = useAppStore((s) => s.authBusy);
  const error = useAppStore((s) => s.authError);
  const [form, setForm] = useState<Fields>(EMPTY);
  // Field errors appear after the first attempt, then follow the typing.
  const [attempted, setAttempted] = useState(false);
  const errors = attempted ? checkSetupForm(form) : {};

  const field = (name: keyof Fields) => ({
    name,
    value: form[name],
    onChange: (e: ChangeEvent<HTMLInputElement>) => setForm((f) => ({ ...f, [name]: e.target.value })),
    error: errors[name] !== undefined,
  });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setAttempted(true);
    if (busy || Object.keys(checkSetupForm(form)).length > 0) return;
    void createFirstAccount({ username: form.username.trim(), password: form.password, setupToken }).then((created) => {
      // Off the setup link: the spent token leaves the address bar, and the console opens at its start page.
      if (created) navigate('/', { replace: true });
    });
  };

  return (
    <Stack component="form" spacing={2} noValidate aria-label="Create the first researcher account" onSubmit={onSubmit}>
      {error && <Alert severity="error">{sentence(error)}</Alert>}
      <TextField
        {...field('username')}
        label="Username"
        autoComplete="username"
        autoFocus
        required
        helperText={errors.username ?? '3–64 letters, digits, “.”, “_”, “@” or “-”'}
      />
      <TextField
        {...field('password')}
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        helperText={errors.password ?? `At least ${MIN_PASSWORD_LENGTH} characters`}
      />
      <TextField
        {...field('confirm')}
        label="Confirm password"
        type="password"
        autoComplete="new-password"
        required
        helperText={errors.confirm}
      />
      <Button type="submit" variant="contained" size="large" loading={busy}>
        Create account and sign in
      </Button>
    </Stack>
  );
}
