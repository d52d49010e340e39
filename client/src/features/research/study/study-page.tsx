import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import type { ReactNode } from 'react';
import { navigate } from '../../../app/router.ts';
import { useAppStore } from '../../../store/index.ts';
import { AgreementTab } from '../agreement/agreement-tab.tsx';
import { AssignmentsTab } from '../assignments/assignments-tab.tsx';
import { STUDY_TABS, studyPath, type StudyTab } from '../console-route.ts';
import { ExportsTab } from '../exports-tab.tsx';
import { InvitesTab } from '../invites/invites-tab.tsx';
import { LiveTab } from '../live/live-tab.tsx';
import { RecordsTab } from '../records-tab.tsx';
import { ResultsTab } from '../results/results-tab.tsx';
import { RunsTab } from '../runs/runs-tab.tsx';
import { SettingsTab } from '../settings/settings-tab.tsx';
import { useDeclaredModels, useStudies } from '../use-studies.ts';
import { StudyHeader } from './study-header.tsx';

const PANELS: Record<StudyTab, (studyId: string) => ReactNode> = {
  settings: (id) => <SettingsTab studyId={id} />,
  invites: (id) => <InvitesTab studyId={id} />,
  records: () => <RecordsTab />,
  runs: (id) => <RunsTab studyId={id} />,
  live: (id) => <LiveTab studyId={id} />,
  assignments: (id) => <AssignmentsTab studyId={id} />,
  results: (id) => <ResultsTab studyId={id} />,
  exports: (id) => <ExportsTab studyId={id} />,
  agreement: (id) => <AgreementTab studyId={id} />,
};

/** One study: its header (status and lifecycle) and a tab per job. The tab is part of the address. */
export function StudyPage({ tab }: { tab: StudyTab }) {
  const studyId = useAppStore((s) => s.selectedStudyId);
  const studies = useStudies().data;
  // Read early: the settings and run forms offer them.
  useDeclaredModels();

  if (studyId === null) return null;
  if (studies && !studies.some((x) => x.id === studyId)) {
    return (
      <Alert
        role="note"
        severity="warning"
        action={
          <Button color="inherit" onClick={() => navigate('/')}>
            All studies
          </Button>
        }
      >
        There is no study with this address. It may have been removed, or the link is incomplete.
      </Alert>
    );
  }

  return (
    <Box>
      <StudyHeader studyId={studyId} />
      <Box sx={{ borderBottom: 1, borderColor: 'divider', mb: 2.5 }}>
        <Tabs
          value={tab}
          onChange={(_e, next: StudyTab) => navigate(studyPath(studyId, next))}
          variant="scrollable"
          scrollButtons="auto"
          aria-label="Study sections"
        >
          {STUDY_TABS.map((t) => (
            <Tab key={t.id} value={t.id} label={t.label} id={`tab-${t.id}`} aria-controls={`panel-${t.id}`} />
          ))}
        </Tabs>
      </Box>
      <Box role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {PANELS[tab](studyId)}
      </Box>
    </Box>
  );
}
