import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { LiveUnit } from '../../../../../shared/schemas/api-live-sessions.ts';
import { endLiveSession, fetchLiveUnits, releaseHeldUnit } from '../../../http/live-units-api.ts';
import { queryKeys } from '../../../query/query-keys.ts';
import { LIVE_POLL_MS } from './use-live.ts';

/** A page of the units participants hold now, re-read with the live list; the page shown stays while the next loads. */
export function useLiveUnits(studyId: string | null, offset: number) {
  return useQuery({
    queryKey: queryKeys.liveUnits(studyId ?? '', offset),
    queryFn: ({ signal }) => fetchLiveUnits(studyId ?? '', offset, signal),
    enabled: studyId !== null,
    refetchInterval: LIVE_POLL_MS,
    placeholderData: keepPreviousData,
  });
}

/** Ends the unit's session (playing) or releases it (held), with the researcher's reason; every study list refreshes. */
export function useEndOrRelease(studyId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ unit, reason }: { unit: LiveUnit; reason: string }) =>
      unit.state === 'playing'
        ? endLiveSession(studyId, unit.episodeId, reason)
        : releaseHeldUnit(studyId, unit.assignmentId ?? '', reason),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['study', studyId] }),
  });
}
