import { performance } from 'node:perf_hooks';
import { LIVE_EPISODES_PAGE } from '../../shared/schemas/api-research.ts';
import { call } from '../../tests/support/researcher-http.ts';
import type { LiveStudy } from './live-study-setup.ts';
import { percentile } from './live-phase.ts';

/**
 * A researcher with the console's Live tab open while people play: the tab re-reads the first page of the study's
 * live episodes, its live health and the units participants hold every 3 s, the three requests at once
 * (client/src/features/research/live/use-live.ts). Each read is made over HTTP with the researcher's cookie, as the browser does; its time is the
 * researcher's wait, and whatever the server does for it on the loop is time the persons' acknowledgements wait too.
 */

/** The Live tab's reads under `/api/studies/:studyId/` (its first page of episodes), each every LIVE_TAB_POLL_MS. */
export const LIVE_TAB_READS = {
  live_episodes: `live-episodes?offset=0&limit=${LIVE_EPISODES_PAGE}`,
  live_health: 'live-health',
  live_units: 'live-units',
} as const;
export const LIVE_TAB_POLL_MS = 3000;

export interface LiveTabWatch {
  /** Stops polling and returns each read's latency in ms (p50 and max) and the count of failed reads. */
  stop(): Promise<Record<string, number>>;
}

export function watchLiveTab(url: string, study: LiveStudy): LiveTabWatch {
  const times = new Map<string, number[]>(Object.keys(LIVE_TAB_READS).map((r) => [r, []]));
  let failed = 0;
  let stopped = false;
  const readAll = async (): Promise<void> => {
    await Promise.all(
      Object.entries(LIVE_TAB_READS).map(async ([read, path]) => {
        const started = performance.now();
        try {
          await call(`${url}/api/studies/${study.studyId}/${path}`, 'GET', study.researcherCookie);
          times.get(read)?.push(performance.now() - started);
        } catch {
          failed += 1;
        }
      }),
    );
  };
  const loop = (async (): Promise<void> => {
    while (!stopped) {
      const started = performance.now();
      await readAll();
      // One round at a time: a round slower than the interval starts the next at once, not two together.
      const wait = Math.max(0, LIVE_TAB_POLL_MS - (performance.now() - started));
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      const metrics: Record<string, number> = { monitor_reads_failed: failed };
      for (const [read, ms] of times) {
        metrics[`monitor_${read}_p50_ms`] = percentile(ms, 50);
        metrics[`monitor_${read}_max_ms`] = ms.length ? Math.max(...ms) : 0;
      }
      return metrics;
    },
  };
}
