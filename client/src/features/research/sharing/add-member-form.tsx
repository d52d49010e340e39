import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState, type FormEvent } from 'react';
import type { StudyRole } from '../../../../../shared/schemas/study-access.ts';
import { errorMessage } from '../../../http/request.ts';
import { ROLE_TEXT } from '../study-role.tsx';
import { RoleSelect } from './role-select.tsx';
import { useAddMember } from './use-members.ts';

/**
 * Gives an existing researcher account a role in the study, by username. The server's refusal (no such account,
 * already a member) is shown under the form as it words it.
 */
export function AddMemberForm({ studyId }: { studyId: string }) {
  const add = useAddMember(studyId);
  const [username, setUsername] = useState('');
  const [role, setRole] = useState<StudyRole>('viewer');
  const name = username.trim();

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (name === '' || add.isPending) return;
    add.mutate({ username: name, role }, { onSuccess: () => setUsername('') });
  };

  return (
    <Stack spacing={1} component="form" aria-labelledby="add-member-heading" onSubmit={submit} noValidate>
      <Typography id="add-member-heading" variant="h3" component="h2">
        Add a researcher
      </Typography>
      <Typography variant="body2" color="text.secondary">
        They need an account on this server first (<code>prefdisco admin create --username NAME</code>).
      </Typography>
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ alignItems: { sm: 'flex-start' } }}>
        <TextField
          size="small"
          label="Username"
          value={username}
          onChange={(e) => {
            setUsername(e.target.value);
            if (add.isError || add.isSuccess) add.reset();
          }}
          autoComplete="off"
          slotProps={{ htmlInput: { maxLength: 100 } }}
        />
        <RoleSelect label="Role" value={role} onChange={setRole} />
        <Button type="submit" variant="contained" disabled={name === ''} loading={add.isPending}>
          Add
        </Button>
      </Stack>
      {add.isError && <Alert severity="error">{errorMessage(add.error)}</Alert>}
      {add.data && (
        <Alert severity="success" role="status">
          {add.data.username} is now a {ROLE_TEXT[add.data.role].label.toLowerCase()} of this study.
        </Alert>
      )}
    </Stack>
  );
}
