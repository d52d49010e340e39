import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import type { ReactNode } from 'react';

/** A note in place of a page the participant cannot use here, with the one button that takes them where they can. */
export function ActionNotice({
  action,
  onAction,
  children,
}: {
  action: string;
  onAction: () => void;
  children: ReactNode;
}) {
  return (
    <Alert
      role="note"
      severity="info"
      action={
        <Button color="inherit" onClick={onAction}>
          {action}
        </Button>
      }
    >
      {children}
    </Alert>
  );
}
