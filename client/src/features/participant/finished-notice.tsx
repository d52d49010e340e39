import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import { navigate } from '../../app/router.ts';
import { useTranslation } from '../../i18n/index.ts';
import { Narrow } from './participant-gate.tsx';

/** Someone went back (browser history) to a task that is already over: point them to where they finished. */
export function FinishedNotice() {
  const { t } = useTranslation();
  return (
    <Narrow>
      <Alert
        role="note"
        severity="info"
        action={
          <Button color="inherit" onClick={() => navigate('/done', { replace: true })}>
            {t('finished.showCompletion')}
          </Button>
        }
      >
        {t('finished.text')}
      </Alert>
    </Narrow>
  );
}
