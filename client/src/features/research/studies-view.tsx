import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import { useEffect } from 'react';
import { navigate, usePathname } from '../../app/router.ts';
import { useAppStore } from '../../store/index.ts';
import { consoleRoute } from './console-route.ts';
import { StudiesPage } from './studies-page.tsx';
import { StudyPage } from './study/study-page.tsx';

/** The signed-in console: picks the page from the address and keeps the store's open study in step with it. */
export function StudiesView() {
  const route = consoleRoute(usePathname());
  const selectStudy = useAppStore((s) => s.selectStudy);
  const studyId = route.page === 'study' ? route.studyId : null;

  useEffect(() => {
    selectStudy(studyId);
  }, [selectStudy, studyId]);

  if (route.page === 'studies') return <StudiesPage />;
  if (route.page === 'study') return <StudyPage tab={route.tab} />;
  return (
    <Stack spacing={2} sx={{ maxWidth: 640 }}>
      <Alert role="note" severity="warning">
        There is no page at this address.
      </Alert>
      <Button variant="outlined" onClick={() => navigate('/')} sx={{ alignSelf: 'flex-start' }}>
        Go to the studies
      </Button>
    </Stack>
  );
}
