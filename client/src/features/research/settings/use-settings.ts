import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { LiveStudySettings, LiveStudySettingsBody } from '../../../../../shared/schemas/live-study.ts';
import { fetchSettings, saveSettings, transitionStudy, type StudyTransition } from '../../../http/study-admin-api.ts';
import { queryKeys } from '../../../query/query-keys.ts';

/** A study's live settings and its open / pause / close lifecycle. */

/** The saved settings; `null` for a study never configured (the form starts from the defaults). */
export function useStudySettings(studyId: string | null) {
  return useQuery({
    queryKey: queryKeys.settings(studyId ?? ''),
    queryFn: ({ signal }) => fetchSettings(studyId ?? '', signal),
    enabled: studyId !== null,
  });
}

export function useSaveSettings(studyId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: LiveStudySettingsBody) => saveSettings(studyId, body),
    onSuccess: (settings: LiveStudySettings) => queryClient.setQueryData(queryKeys.settings(studyId), settings),
  });
}

export function useTransitionStudy(studyId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (action: StudyTransition) => transitionStudy(studyId, action),
    onSuccess: (settings, action) => {
      queryClient.setQueryData(queryKeys.settings(studyId), settings);
      // Opening creates play units: the assignments' numbers change with it.
      if (action === 'open') void queryClient.invalidateQueries({ queryKey: queryKeys.assignments(studyId) });
    },
  });
}
