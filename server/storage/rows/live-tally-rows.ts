import type { EpisodeStatus } from '../episode-storage.ts';
import type { LiveActivity, LiveTally } from '../live-storage.ts';

// The rows of the live monitor's aggregate queries (sqlite/live-monitor-queries.ts, postgres/postgres-live-monitor.ts)
// and their mapping, for both engines. Counts arrive as numbers from SQLite and as bigint text from PostgreSQL.

export interface StatusCountRow {
  status: string;
  n: number | string;
}

export interface FailureCountRow {
  stage: string;
  reason: string | null;
  n: number | string;
}

export interface ActivityRow {
  episode_id: string;
  replies: number | string | null;
  last_at: string | null;
}

export function toLiveTally(statuses: StatusCountRow[], failures: FailureCountRow[], models: string[]): LiveTally {
  return {
    byStatus: Object.fromEntries(statuses.map((r) => [r.status as EpisodeStatus, Number(r.n)])),
    failures: failures.map((r) => ({ stage: r.stage, reason: r.reason ?? '', count: Number(r.n) })),
    models,
  };
}

export function toLiveActivity(rows: ActivityRow[]): Map<string, LiveActivity> {
  return new Map(
    rows.map((r) => [
      r.episode_id,
      { replies: Number(r.replies ?? 0), lastEventAt: typeof r.last_at === 'string' ? r.last_at : null },
    ]),
  );
}
