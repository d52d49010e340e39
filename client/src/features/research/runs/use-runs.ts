import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Mode } from '../../../../../shared/schemas/evaluation.ts';
import type { RunInfo, StartRunBody } from '../../../../../shared/schemas/research.ts';
import { cancelRun, fetchRunEpisodes, fetchRuns, startRun } from '../../../http/research-api.ts';
import { addRunAnswers, previewRunAnswers, withdrawRunAnswers } from '../../../http/study-admin-api.ts';
import { queryKeys } from '../../../query/query-keys.ts';

/** How often the runs are read while one is running: the "live" bar without flooding the server. */
export const RUN_POLL_MS = 1000;

/** Episodes in the run panel's list, a page at a time. */
export const RUN_EPISODES_PAGE = 25;

/** The study's batch runs, newest first, re-read every second while any of them is running. */
export function useRuns(studyId: string | null) {
  return useQuery({
    queryKey: queryKeys.runs(studyId ?? ''),
    queryFn: ({ signal }) => fetchRuns(studyId ?? '', signal),
    enabled: studyId !== null,
    refetchInterval: (query) => (query.state.data?.some((r) => r.status === 'running') ? RUN_POLL_MS : false),
  });
}

/** A run's new state in the cached list, at once (the next read confirms it). */
function patchRun(runs: RunInfo[] | undefined, run: RunInfo): RunInfo[] | undefined {
  if (!runs) return runs;
  return runs.some((r) => r.id === run.id) ? runs.map((r) => (r.id === run.id ? run : r)) : [run, ...runs];
}

export function useStartRun(studyId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: StartRunBody) => startRun(studyId, body),
    onSuccess: (started) => {
      queryClient.setQueryData<RunInfo[]>(queryKeys.runs(studyId), (runs) => patchRun(runs, started.run));
      return queryClient.invalidateQueries({ queryKey: queryKeys.runs(studyId) });
    },
  });
}

export function useCancelRun(studyId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (runId: string) => cancelRun(runId),
    onSuccess: (run) => queryClient.setQueryData<RunInfo[]>(queryKeys.runs(studyId), (runs) => patchRun(runs, run)),
    // Whatever happened, the list shows what the server now says.
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.runs(studyId) }),
  });
}

/** One page of a run's episodes, read again as the run finishes more of them. */
export function useRunEpisodes(studyId: string, run: RunInfo, offset: number) {
  const done = run.progress?.done ?? 0;
  return useQuery({
    queryKey: queryKeys.runEpisodes(studyId, run.id, { offset, done }),
    queryFn: ({ signal }) => fetchRunEpisodes(run.id, offset, RUN_EPISODES_PAGE, signal),
    // The page as of the last count stays while the grown one loads.
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[3] === run.id ? previous : undefined),
  });
}

/** Queues a run's completed answers, in the chosen conditions, for rating; the assignments change with it. */
export function useSendToRaters(studyId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ runId, modes }: { runId: string; modes: Mode[] }) => addRunAnswers(studyId, runId, modes),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.assignments(studyId) }),
  });
}

/** A dry run of "Send to raters": what would be added, by model and condition; nothing is stored. */
export function usePreviewSend(studyId: string) {
  return useMutation({
    mutationFn: ({ runId, modes }: { runId: string; modes: Mode[] }) => previewRunAnswers(studyId, runId, modes),
  });
}

/** Takes a run's unrated answers in the chosen conditions out of the rating queue; the assignments change with it. */
export function useWithdrawRun(studyId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ runId, modes }: { runId: string; modes: Mode[] }) => withdrawRunAnswers(studyId, runId, modes),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.assignments(studyId) }),
  });
}
