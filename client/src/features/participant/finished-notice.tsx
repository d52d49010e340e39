import { navigate } from '../../app/router.ts';
import { useTranslation } from '../../i18n/index.ts';
import { ActionNotice } from './action-notice.tsx';
import { Narrow } from './participant-gate.tsx';

/** Someone went back (browser history) to a task that is already over: point them to where they finished. */
export function FinishedNotice() {
  const { t } = useTranslation();
  return (
    <Narrow>
      <ActionNotice action={t('finished.showCompletion')} onAction={() => navigate('/done', { replace: true })}>
        {t('finished.text')}
      </ActionNotice>
    </Narrow>
  );
}
