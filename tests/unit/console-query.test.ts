import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { EpisodeEvent } from '../../shared/schemas/episode.ts';
import { ApiError } from '../../client/src/http/request.ts';
import { queryKeys } from '../../client/src/query/query-keys.ts';
import { isRetryable } from '../../client/src/query/retry.ts';
import { logEpisodeEvent } from '../../client/src/realtime/socket-binding.ts';

const at = '2026-01-01T00:00:00.000Z';
const message = (seq: number, content: string): EpisodeEvent => ({
  seq,
  at,
  type: 'message',
  role: 'user',
  kind: 'reply',
  turn: 0,
  content,
});

/** Which of `keys` a real QueryClient marks invalidated after `change`. */
async function invalidatedBy(
  keys: (readonly unknown[])[],
  change: (client: QueryClient) => Promise<void> | void,
): Promise<string[]> {
  const client = new QueryClient();
  for (const key of keys) client.setQueryData(key, []);
  await change(client);
  return keys.filter((key) => client.getQueryState(key)?.isInvalidated).map((key) => JSON.stringify(key));
}

describe('console query keys', () => {
  it('keep each study’s data apart, and a study’s runs cover their episode pages', async () => {
    const runsS1 = queryKeys.runs('s1');
    const episodesS1 = queryKeys.runEpisodes('s1', 'r1', { offset: 0, done: 3 });
    const runsS2 = queryKeys.runs('s2');
    const resultsS1 = queryKeys.results('s1');
    const invalidated = await invalidatedBy([runsS1, episodesS1, runsS2, resultsS1], (client) =>
      client.invalidateQueries({ queryKey: queryKeys.runs('s1') }),
    );
    expect(invalidated).toEqual([JSON.stringify(runsS1), JSON.stringify(episodesS1)]);
    // Everything of one study, nothing of another.
    const all = await invalidatedBy([runsS1, resultsS1, runsS2], (client) =>
      client.invalidateQueries({ queryKey: queryKeys.study('s1') }),
    );
    expect(all).toEqual([JSON.stringify(runsS1), JSON.stringify(resultsS1)]);
  });

  it('name a live list by its filter, and a stored episode apart from a watched one', () => {
    expect(queryKeys.liveEpisodes('s1', null)).toEqual(['study', 's1', 'live-episodes', 'all']);
    expect(queryKeys.liveEpisodes('s1', 'failed')).toEqual(['study', 's1', 'live-episodes', 'failed']);
    expect(queryKeys.storedEpisode('e1')).not.toEqual(queryKeys.watchedEpisode('e1'));
  });
});

describe('pushed live-monitor events', () => {
  it('merge by seq into a watched transcript, and leave unwatched episodes out of the cache', () => {
    const client = new QueryClient();
    client.setQueryData(queryKeys.watchedEpisode('e1'), [message(1, 'a'), message(2, 'b')]);
    logEpisodeEvent(client, 'e1', message(2, 'b'));
    logEpisodeEvent(client, 'e1', message(3, 'c'));
    logEpisodeEvent(client, 'e2', message(1, 'x'));
    const events = client.getQueryData<EpisodeEvent[]>(queryKeys.watchedEpisode('e1')) ?? [];
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(client.getQueryData(queryKeys.watchedEpisode('e2'))).toBeUndefined();
  });

  it('keep an event that arrives while the watched log is still loading', () => {
    const client = new QueryClient();
    // The transcript's query exists (a watcher is waiting) but has no answer yet.
    client.getQueryCache().build(client, { queryKey: queryKeys.watchedEpisode('e1') });
    logEpisodeEvent(client, 'e1', message(4, 'late'));
    expect(client.getQueryData<EpisodeEvent[]>(queryKeys.watchedEpisode('e1'))?.map((e) => e.seq)).toEqual([4]);
  });

  it('re-read every study’s live list when an episode ends, and nothing else', async () => {
    const keys = [queryKeys.liveEpisodes('s1', null), queryKeys.liveEpisodes('s2', 'running'), queryKeys.runs('s1')];
    const ended: EpisodeEvent = {
      seq: 9,
      at,
      type: 'episode_completed',
      weightedScore: 0.5,
      correct: 1,
      interactionTurns: 2,
    };
    expect(await invalidatedBy(keys, (client) => logEpisodeEvent(client, 'e1', message(5, 'more')))).toEqual([]);
    expect(await invalidatedBy(keys, (client) => logEpisodeEvent(client, 'e1', ended))).toEqual([
      JSON.stringify(keys[0]),
      JSON.stringify(keys[1]),
    ]);
  });
});

describe('which failed requests are tried again', () => {
  it('retries the network, server failures and retryable codes, never a refusal', () => {
    expect(isRetryable(new ApiError('offline', null, 'network'))).toBe(true);
    expect(isRetryable(new ApiError('boom', 500, 'internal'))).toBe(true);
    expect(isRetryable(new ApiError('slow down', 429, 'rate_limited'))).toBe(true);
    expect(isRetryable(new ApiError('bad', 400, 'invalid_payload'))).toBe(false);
    expect(isRetryable(new ApiError('signed out', 401, 'unauthenticated'))).toBe(false);
    expect(isRetryable(new ApiError('gone', 404, 'not_found'))).toBe(false);
    expect(isRetryable(new Error('not an HTTP failure'))).toBe(false);
  });
});
