import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Button from '@mui/material/Button';

interface ErrorAlertProps {
  title: string;
  message: string;
  onRetry?: () => void;
}

/** A failed load: says what failed, shows the server's own message, and offers a retry. */
export function ErrorAlert({ title, message, onRetry }: ErrorAlertProps) {
  return (
    <Alert
      severity="error"
      action={
        onRetry ? (
          <Button color="inherit" size="small" onClick={onRetry}>
            Retry
          </Button>
        ) : undefined
      }
    >
      <AlertTitle>{title}</AlertTitle>
      {/* Zod shape errors span several lines; keep them readable. */}
      <span style={{ whiteSpace: 'pre-wrap' }}>{message}</span>
    </Alert>
  );
}
