import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { SharedRateLimits } from '../storage/rate-limit-storage.ts';

type RouteLimitOptions = Parameters<FastifyRateLimitStore['child']>[0];

/**
 * The route a child store counts for. The plugin hands `child` its merged limit options with the route under
 * `routeInfo` (its own Redis store reads it there), while its types describe route options: both are read.
 */
function routeOf(options: RouteLimitOptions): string {
  const info = (options as { routeInfo?: { method?: unknown; url?: unknown } }).routeInfo;
  const method = info?.method ?? options.method;
  const url = info?.url ?? options.url ?? options.path;
  return `${Array.isArray(method) ? method.join(',') : String(method)} ${String(url)}`;
}

/**
 * A @fastify/rate-limit store over counters every node shares (PostgreSQL): one count per route and client address
 * across all nodes, as the plugin's in-memory store keeps in one process. Windows are fixed, starting at a key's first
 * request (the in-memory store's behaviour without `continueExceeding`, which the app does not use).
 */
export function sharedRateLimitStore(counters: SharedRateLimits): FastifyRateLimitStoreCtor {
  class SharedStore implements FastifyRateLimitStore {
    // The plugin constructs the root store with its options (unused) and derives one child per limited route.
    constructor(
      _options?: unknown,
      private readonly route = '',
    ) {}

    incr(key: string, callback: Parameters<FastifyRateLimitStore['incr']>[1], timeWindow: number): void {
      counters.hit(`${this.route}|${key}`, timeWindow).then(
        (hit) => callback(null, { current: hit.hits, ttl: hit.msLeft }),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    }

    child(options: RouteLimitOptions): FastifyRateLimitStore {
      return new SharedStore(undefined, routeOf(options));
    }
  }
  return SharedStore;
}
