import pg from 'pg';

/**
 * What one PostgreSQL database is doing over a phase, from its statistics views: committed transactions
 * (pg_stat_database's xact_commit: every statement sent outside BEGIN counts as one, reads, NOTIFYs and job polling
 * included, and every BEGIN … COMMIT as one) and, sampled every `everyMs`, the nodes'
 * backends that are running a statement, waiting on a lock, or idle inside an open transaction (a transaction whose
 * next statement waits for its node's event loop or a core). Its own connection is left out.
 */
export interface PostgresActivity {
  commits: number;
  rollbacks: number;
  activeMean: number;
  activeMax: number;
  lockWaitsMax: number;
  idleInTransactionMean: number;
  idleInTransactionMax: number;
}

interface Sample {
  active: number;
  lock_waits: number;
  idle_in_tx: number;
}

export async function watchPostgres(
  url: string,
  database: string,
  everyMs = 250,
): Promise<{ stop(): Promise<PostgresActivity> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const totals = async (): Promise<{ commits: number; rollbacks: number }> => {
    const { rows } = await client.query<{ c: string; r: string }>(
      'SELECT xact_commit AS c, xact_rollback AS r FROM pg_stat_database WHERE datname = $1',
      [database],
    );
    return { commits: Number(rows[0]?.c ?? 0), rollbacks: Number(rows[0]?.r ?? 0) };
  };
  // pg_stat_database is a snapshot per transaction: read outside one, each query sees fresh counters.
  const start = await totals();
  const samples: Sample[] = [];
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void client
      .query<Sample>(
        `SELECT count(*) FILTER (WHERE state = 'active')::int AS active,
                count(*) FILTER (WHERE wait_event_type = 'Lock')::int AS lock_waits,
                count(*) FILTER (WHERE state = 'idle in transaction')::int AS idle_in_tx
           FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
        [database],
      )
      .then(({ rows }) => rows[0] && samples.push(rows[0]))
      .catch(() => undefined)
      .finally(() => (busy = false));
  }, everyMs);
  return {
    stop: async () => {
      clearInterval(timer);
      const end = await totals();
      await client.end();
      const mean = (f: (s: Sample) => number): number =>
        samples.length === 0 ? 0 : samples.reduce((a, s) => a + f(s), 0) / samples.length;
      const max = (f: (s: Sample) => number): number => samples.reduce((a, s) => Math.max(a, f(s)), 0);
      return {
        commits: end.commits - start.commits,
        rollbacks: end.rollbacks - start.rollbacks,
        activeMean: mean((s) => s.active),
        activeMax: max((s) => s.active),
        lockWaitsMax: max((s) => s.lock_waits),
        idleInTransactionMean: mean((s) => s.idle_in_tx),
        idleInTransactionMax: max((s) => s.idle_in_tx),
      };
    },
  };
}
