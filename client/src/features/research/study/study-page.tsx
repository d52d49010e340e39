import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import { useEffect, type ReactNode } from 'react';
import { navigate } from '../../../app/router.ts';
import { errorMessage } from '../../../http/request.ts';
import { useAppStore } from '../../../store/index.ts';
import { ErrorAlert } from '../../../ui/error-alert.tsx';
import { AgreementTab } from '../agreement/agreement-tab.tsx';
import { AssignmentsTab } from '../assignments/assignments-tab.tsx';
import { AuditTab } from '../audit/audit-tab.tsx';
import { defaultTab, studyPath, tabAllowed, tabsFor, type StudyTab } from '../console-route.ts';
import { ExportsTab } from '../exports-tab.tsx';
import { InvitesTab } from '../invites/invites-tab.tsx';
import { LiveTab } from '../live/live-tab.tsx';
import { RecordsTab } from '../records-tab.tsx';
import { ResultsTab } from '../results/results-tab.tsx';
import { RunsTab } from '../runs/runs-tab.tsx';
import { SettingsTab } from '../settings/settings-tab.tsx';
import { SharingTab } from '../sharing/sharing-tab.tsx';
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
  sharing: (id) => <SharingTab studyId={id} />,
  audit: (id) => <AuditTab studyId={id} />,
};

/**
 * One study: its header (status and lifecycle) and a tab per job. The tab is part of the address. Only the tabs the
 * researcher's role in this study may use are shown; an address naming another tab is replaced by the role's default.
 */
export function StudyPage({ tab }: { tab: StudyTab }) {
  const studyId = useAppStore((s) => s.selectedStudyId);
  const studies = useStudies();
  const study = studies.data?.find((x) => x.id === studyId);
  const role = study?.myRole;
  const allowed = role !== undefined && tabAllowed(tab, role);
  // Read early: the settings and run forms offer them.
  useDeclaredModels();

  useEffect(() => {
    if (studyId !== null && role !== undefined && !tabAllowed(tab, role)) {
      navigate(studyPath(studyId, defaultTab(role)), { replace: true });
    }
  }, [studyId, role, tab]);

  if (studyId === null) return null;
  if (!studies.data) {
    // The role decides which tabs exist, so nothing of the study is shown (or requested) before the list answers.
    return studies.isError ? (
      <ErrorAlert
        title="Could not load the studies"
        message={errorMessage(studies.error)}
        onRetry={() => void studies.refetch()}
      />
    ) : (
      <LinearProgress aria-label="Loading the study" />
    );
  }
  if (!study || role === undefined) {
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
        There is no study with this address. It may have been removed, the link is incomplete, or it has not been shared
        with you.
      </Alert>
    );
  }

  return (
    <Box>
      <StudyHeader studyId={studyId} role={role} />
      <Box sx={{ borderBottom: 1, borderColor: 'divider', mb: 2.5 }}>
        <Tabs
          value={allowed ? tab : false}
          onChange={(_e, next: StudyTab) => navigate(studyPath(studyId, next))}
          variant="scrollable"
          scrollButtons="auto"
          aria-label="Study sections"
        >
          {tabsFor(role).map((t) => (
            <Tab key={t.id} value={t.id} label={t.label} id={`tab-${t.id}`} aria-controls={`panel-${t.id}`} />
          ))}
        </Tabs>
      </Box>
      {/* A tab the role may not use renders nothing (and requests nothing) until the address is replaced. */}
      {allowed && (
        <Box role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
          {PANELS[tab](studyId)}
        </Box>
      )}
    </Box>
  );
}
