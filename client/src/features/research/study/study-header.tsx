import Alert from '@mui/material/Alert';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { MouseEvent } from 'react';
import { navigate } from '../../../app/router.ts';
import { errorMessage } from '../../../http/request.ts';
import { plural } from '../format.ts';
import { useStudySettings, useTransitionStudy } from '../settings/use-settings.ts';
import { roleAllows, type StudyRole } from '../../../../../shared/schemas/study-access.ts';
import { useStudy } from '../use-studies.ts';
import { PreviewButton } from '../preview/preview-button.tsx';
import { StudyRoleChip } from '../study-role.tsx';
import { LifecycleButtons } from './lifecycle-buttons.tsx';
import { StudyStatusChip } from './study-status.tsx';

/**
 * The open study's name, size, the researcher's role and live status, with preview and open / pause / close for those
 * who may work on it (a viewer reads the status but changes nothing).
 */
export function StudyHeader({ studyId, role }: { studyId: string; role: StudyRole }) {
  const study = useStudy(studyId);
  const works = roleAllows(role, 'work');
  // The status chip needs the settings on every tab.
  const settings = useStudySettings(studyId);
  const transition = useTransitionStudy(studyId);
  const settingsError = settings.error ? errorMessage(settings.error) : null;
  const transitionError = transition.error ? errorMessage(transition.error) : null;
  const status = settings.data === undefined ? null : (settings.data?.status ?? 'unconfigured');

  const back = (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    navigate('/');
  };

  return (
    <Stack spacing={1.5} sx={{ mb: 2 }}>
      <Link href="/" onClick={back} variant="body2" sx={{ alignSelf: 'flex-start' }}>
        ← All studies
      </Link>
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ alignItems: { md: 'center' } }}>
        <Stack spacing={0.75} sx={{ flexGrow: 1, minWidth: 0 }}>
          <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center', flexWrap: 'wrap' }} useFlexGap>
            <Typography variant="h2" component="h1" sx={{ overflowWrap: 'anywhere' }}>
              {study?.name ?? 'Study'}
            </Typography>
            <StudyStatusChip status={status} />
            <StudyRoleChip role={role} />
          </Stack>
          {study && (
            <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap' }}>
              <Chip size="small" variant="outlined" label={plural(study.recordCount, 'record')} />
              <Chip size="small" variant="outlined" label={plural(study.personaCount, 'persona')} />
              <Chip size="small" variant="outlined" label={plural(study.fileCount, 'file')} />
            </Stack>
          )}
        </Stack>
        {works && (
          <>
            <PreviewButton studyId={studyId} />
            <LifecycleButtons
              status={status}
              transitioning={transition.isPending ? transition.variables : null}
              onTransition={(action) => transition.mutate(action)}
            />
          </>
        )}
      </Stack>
      {settingsError && <Alert severity="error">Could not read the study’s settings: {settingsError}</Alert>}
      {transitionError && (
        <Alert severity="error" onClose={() => transition.reset()}>
          {capitalised(transitionError)}
        </Alert>
      )}
    </Stack>
  );
}

function capitalised(text: string): string {
  const t = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(t) ? t : `${t}.`;
}
