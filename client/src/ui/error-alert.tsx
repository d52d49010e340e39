import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Button from '@mui/material/Button';
import { useTranslation } from '../i18n/index.ts';

interface ErrorAlertProps {
  title: string;
  message: string;
  onRetry?: () => void;
}

/** A failed load: says what failed, shows the server's own message, and offers a retry. */
export function ErrorAlert({ title, message, onRetry }: ErrorAlertProps) {
  const { t } = useTranslation();
  return (
    <Alert
      severity="error"
      action={
        onRetry ? (
          <Button color="inherit" size="small" onClick={onRetry}>
            {t('common.retry')}
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
