import Stack from '@mui/material/Stack';
import { useEffect } from 'react';
import { useAppStore } from '../../../store/index.ts';
import { dataFor } from '../../../store/loadable.ts';
import { LoadState } from '../load-state.tsx';
import { RunForm } from './run-form.tsx';
import { RunList } from './run-list.tsx';
import { RunProgress } from './run-progress.tsx';

/** Batch runs: start one, watch it (polled every second), cancel it, and download any run's results. */
export function RunsTab() {
  const studyId = useAppStore((s) => s.selectedStudyId);
  const loadable = useAppStore((s) => s.runs);
  const focusedId = useAppStore((s) => s.focusedRunId);
  const load = useAppStore((s) => s.loadRuns);
  const watch = useAppStore((s) => s.watchRunProgress);
  const runs = dataFor(loadable, studyId);
  const focused = runs?.find((r) => r.id === focusedId) ?? runs?.[0] ?? null;

  useEffect(() => {
    if (studyId !== null) void load();
  }, [studyId, load]);
  // The poll runs only while this tab is on screen.
  useEffect(() => watch(), [watch]);

  return (
    <Stack spacing={2.5}>
      <RunForm />
      <LoadState
        what="the runs"
        loading={loadable.loading}
        error={loadable.error}
        loaded={runs !== null}
        empty={runs?.length === 0}
        emptyText="No runs yet. Start one above: with the scripted model it needs no API key and finishes in seconds."
        onRetry={() => void load()}
      >
        {focused && <RunProgress run={focused} />}
        {runs && <RunList runs={runs} focusedId={focused?.id ?? null} />}
      </LoadState>
    </Stack>
  );
}
