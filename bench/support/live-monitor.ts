import { performance } from 'node:perf_hooks';
import { call } from '../../tests/support/researcher-http.ts';
import type { LiveStudy } from './live-study-setup.ts';
import { percentile } from './live-phase.ts';

/**
 * A researcher with the console's Live tab open while people play: the tab re-reads the study's live episodes, its
 * live health and the units participants hold every 3 s (client/src/features/research/live/use-live.ts), the three
 * requests at once. Each read is made over HTTP with the researcher's cookie, as the browser does; its time is the
 * researcher's wait, and whatever the server does for it on the loop is time the persons' acknowledgements wait too.
 */

/** The Live tab's paths under `/api/studies/:studyId/`, each polled every LIVE_TAB_POLL_MS. */
export const LIVE_TAB_READS = ['live-episodes', 'live-health', 'live-units'] as const;
export const LIVE_TAB_POLL_MS = 3000;

export interface LiveTabWatch {
  /** Stops polling and returns each read's latency in ms (p50 and max) and the count of failed reads. */
  stop(): Promise<Record<string, number>>;
}

export function watchLiveTab(url: string, study: LiveStudy): LiveTabWatch {
  const times = new Map<string, number[]>(LIVE_TAB_READS.map((r) => [r, []]));
  let failed = 0;
  let stopped = false;
  const readAll = async (): Promise<void> => {
    await Promise.all(
      LIVE_TAB_READS.map(async (read) => {
        const started = performance.now();
        try {
          await call(`${url}/api/studies/${study.studyId}/${read}`, 'GET', study.researcherCookie);
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
        const key = read.replace(/-/g, '_');
        metrics[`monitor_${key}_p50_ms`] = percentile(ms, 50);
        metrics[`monitor_${key}_max_ms`] = ms.length ? Math.max(...ms) : 0;
      }
      return metrics;
    },
  };
}
