import { UsernameSchema } from '../../../../shared/schemas/auth.ts';

/** The server's rules for a new account (docs/security.md), checked before sending so mistakes show at the field. */
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 1024;

export interface SetupForm {
  username: string;
  password: string;
  confirm: string;
}

export type SetupFormErrors = Partial<Record<keyof SetupForm, string>>;

export function checkSetupForm(form: SetupForm): SetupFormErrors {
  const errors: SetupFormErrors = {};
  const username = UsernameSchema.safeParse(form.username);
  if (!username.success) errors.username = `Username ${username.error.issues[0]?.message ?? 'is not valid'}`;
  if (form.password.length < MIN_PASSWORD_LENGTH) {
    errors.password = `Use at least ${MIN_PASSWORD_LENGTH} characters (${form.password.length} so far)`;
  } else if (form.password.length > MAX_PASSWORD_LENGTH) {
    errors.password = `Use at most ${MAX_PASSWORD_LENGTH} characters`;
  }
  if (form.confirm !== form.password) errors.confirm = 'The two passwords differ';
  return errors;
}
