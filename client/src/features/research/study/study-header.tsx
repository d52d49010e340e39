import Alert from '@mui/material/Alert';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { MouseEvent } from 'react';
import { navigate } from '../../../app/router.ts';
import { dataFor } from '../../../store/loadable.ts';
import { useAppStore } from '../../../store/index.ts';
import { plural } from '../format.ts';
import { LifecycleButtons } from './lifecycle-buttons.tsx';
import { StudyStatusChip } from './study-status.tsx';

/** The open study's name, size and live status, with open / pause / close. */
export function StudyHeader() {
  const study = useAppStore((s) => s.studies.find((x) => x.id === s.selectedStudyId));
  const settings = useAppStore((s) => dataFor(s.studySettings, s.selectedStudyId));
  const settingsError = useAppStore((s) => s.studySettings.error);
  const transitionError = useAppStore((s) => s.transitionError);
  const dismiss = useAppStore((s) => s.dismissSettingsMessages);
  const status = settings === null ? null : (settings.settings?.status ?? 'unconfigured');

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
          </Stack>
          {study && (
            <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap' }}>
              <Chip size="small" variant="outlined" label={plural(study.recordCount, 'record')} />
              <Chip size="small" variant="outlined" label={plural(study.personaCount, 'persona')} />
              <Chip size="small" variant="outlined" label={plural(study.fileCount, 'file')} />
            </Stack>
          )}
        </Stack>
        <LifecycleButtons status={status} />
      </Stack>
      {settingsError && <Alert severity="error">Could not read the study’s settings: {settingsError}</Alert>}
      {transitionError && (
        <Alert severity="error" onClose={dismiss}>
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
