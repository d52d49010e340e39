import TextField from '@mui/material/TextField';
import { STUDY_ROLES, StudyRoleSchema, type StudyRole } from '../../../../../shared/schemas/study-access.ts';
import { ROLE_TEXT } from '../study-role.tsx';

/** A native select of the three roles (one keyboard stop, the platform's own picker). */
export function RoleSelect({
  label,
  value,
  onChange,
  disabled,
  hiddenLabel,
}: {
  label: string;
  value: StudyRole;
  onChange: (role: StudyRole) => void;
  disabled?: boolean;
  /** In a table row the column heading says what it is: the label is only read out, not shown. */
  hiddenLabel?: boolean;
}) {
  return (
    <TextField
      select
      size="small"
      label={hiddenLabel ? undefined : label}
      value={value}
      disabled={disabled}
      onChange={(e) => {
        const role = StudyRoleSchema.safeParse(e.target.value);
        if (role.success) onChange(role.data);
      }}
      slotProps={{
        select: { native: true },
        htmlInput: hiddenLabel ? { 'aria-label': label } : undefined,
      }}
      sx={{ minWidth: 160 }}
    >
      {STUDY_ROLES.map((role) => (
        <option key={role} value={role}>
          {ROLE_TEXT[role].label}
        </option>
      ))}
    </TextField>
  );
}
