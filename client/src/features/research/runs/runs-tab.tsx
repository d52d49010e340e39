import Stack from '@mui/material/Stack';
import { useAppStore } from '../../../store/index.ts';
import { LoadState } from '../load-state.tsx';
import { queryState } from '../query-state.ts';
import { RunForm } from './run-form.tsx';
import { RunList } from './run-list.tsx';
import { RunProgress } from './run-progress.tsx';
import { useRuns } from './use-runs.ts';

/** Batch runs: start one, watch it (polled every second), cancel it, and download any run's results. */
export function RunsTab({ studyId }: { studyId: string }) {
  // The poll runs only while this tab is on screen, and only while a run is running.
  const query = useRuns(studyId);
  const focusedId = useAppStore((s) => s.studyView.focusedRunId);
  const runs = query.data;
  const focused = runs?.find((r) => r.id === focusedId) ?? runs?.[0] ?? null;

  return (
    <Stack spacing={2.5}>
      <RunForm studyId={studyId} />
      <LoadState
        what="the runs"
        {...queryState(query, true)}
        empty={runs?.length === 0}
        emptyText="No runs yet. Start one above: with the scripted model it needs no API key and finishes in seconds."
        onRetry={() => void query.refetch()}
      >
        {focused && <RunProgress studyId={studyId} run={focused} />}
        {runs && <RunList runs={runs} focusedId={focused?.id ?? null} />}
      </LoadState>
    </Stack>
  );
}
