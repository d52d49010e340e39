import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { LIVE_EPISODES_PAGE } from '../../../../../shared/schemas/api-research.ts';
import { useEffect } from 'react';
import type { EpisodeEvent } from '../../../../../shared/schemas/episode.ts';
import type { EpisodeStatus } from '../../../../../shared/schemas/episode.ts';
import { fetchLiveEpisodes, fetchLiveHealth } from '../../../http/research-api.ts';
import { mergeEvents } from '../../../query/episode-log.ts';
import { queryKeys } from '../../../query/query-keys.ts';
import { bindMonitor } from '../../../realtime/socket-binding.ts';
import { ackMessage, getSocket, request } from '../../../realtime/socket.ts';
import { useAppStore } from '../../../store/index.ts';

/** The live episodes list is re-read this often while the tab is open: new sessions appear without a click. */
export const LIVE_POLL_MS = 3000;

/**
 * One page of the live list. A page, not the whole list: with 2,000 live episodes the whole list was 0.66 MB every
 * 3 s for the researcher's browser to read and render, and 46 ms for the server to answer (a page: 4.6 ms).
 */
export function useLiveEpisodes(studyId: string | null, status: EpisodeStatus | null, offset: number) {
  return useQuery({
    queryKey: queryKeys.liveEpisodes(studyId ?? '', status, offset),
    queryFn: ({ signal }) => fetchLiveEpisodes(studyId ?? '', status, { offset, limit: LIVE_EPISODES_PAGE }, signal),
    enabled: studyId !== null,
    refetchInterval: LIVE_POLL_MS,
    // The page shown stays while the next one loads.
    placeholderData: keepPreviousData,
  });
}

/** What is going wrong: failed episodes by reason, models' failed attempts (polled with the list). */
export function useLiveHealth(studyId: string | null) {
  return useQuery({
    queryKey: queryKeys.liveHealth(studyId ?? ''),
    queryFn: ({ signal }) => fetchLiveHealth(studyId ?? '', signal),
    enabled: studyId !== null,
    refetchInterval: LIVE_POLL_MS,
  });
}

/**
 * A watched live episode's log: `episode:watch` joins its updates and answers with the log so far; each stored event
 * after that arrives as `episode:logged`, which the socket binding merges into this query's data. The log is read
 * (again) whenever the connection comes up, since a reconnect may have missed events; answers merge by seq.
 */
export function useWatchedEpisode(episodeId: string | null) {
  const queryClient = useQueryClient();
  const connectRealtime = useAppStore((s) => s.connectRealtime);
  const connected = useAppStore((s) => s.connection === 'connected');
  const key = queryKeys.watchedEpisode(episodeId ?? '');
  const query = useQuery({
    queryKey: key,
    queryFn: async (): Promise<EpisodeEvent[]> => {
      const result = await request('episode:watch', { episodeId: episodeId ?? '' });
      if (!result.ok) {
        // The participant wording of ackMessage ("open your invitation link") does not fit a researcher.
        throw new Error(
          result.error === 'unauthenticated' ? 'Your session has ended. Sign in again to watch.' : ackMessage(result),
        );
      }
      return mergeEvents(queryClient.getQueryData<EpisodeEvent[]>(key) ?? [], result.data);
    },
    // Read when the connection is up (below), then kept current by pushed events: never stale, never retried blindly.
    enabled: false,
    staleTime: Infinity,
    retry: false,
  });
  const { refetch } = query;

  // Researcher pages open the socket only to watch.
  useEffect(() => {
    if (episodeId === null) return;
    bindMonitor(getSocket(), queryClient);
    connectRealtime();
  }, [episodeId, queryClient, connectRealtime]);

  useEffect(() => {
    if (episodeId !== null && connected) void refetch();
  }, [episodeId, connected, refetch]);

  return query;
}
