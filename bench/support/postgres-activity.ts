import pg from 'pg';

/**
 * What one PostgreSQL database is doing over a phase, from its statistics views: committed transactions
 * (pg_stat_database's xact_commit: every statement sent outside BEGIN counts as one, reads, NOTIFYs and job polling
 * included, and every BEGIN … COMMIT as one) and, sampled every `everyMs`, the nodes' backends that are not idle:
 * running a statement, waiting (on a lock, an LWLock, I/O …), or idle inside an open transaction (a transaction whose
 * next statement waits for its node's event loop or a core). Its own connection is left out.
 */
export interface PostgresActivity {
  commits: number;
  rollbacks: number;
  activeMean: number;
  activeMax: number;
  lockWaitsMean: number;
  lockWaitsMax: number;
  idleInTransactionMean: number;
  idleInTransactionMax: number;
  /** What the non-idle backends were doing, most common first (see {@link WaitKind}). */
  waits: WaitKind[];
  samples: number;
  /** Rows inserted, updated and deleted per table over the phase, most first (pg_stat_user_tables). */
  writes: { table: string; rows: number }[];
}

/**
 * One kind of non-idle backend state over the phase: `kind` is "<wait_event_type>:<wait_event>" ("running" when on a
 * core or runnable, "idle in transaction" for ClientRead inside one), with the lock's target for heavyweight locks
 * (a table, or for `object` locks the catalog: NOTIFY's commit lock is an object lock on pg_database).
 */
export interface WaitKind {
  kind: string;
  /** Mean number of backends in this state per sample. */
  mean: number;
  max: number;
  /** The statement most often seen in this state (its first 70 characters), and whose connections ran it. */
  query: string;
  application: string;
}

interface Row {
  state: string;
  wait_type: string;
  wait_event: string;
  lock_target: string;
  application: string;
  query: string;
}

/** Per sample, each non-idle backend with the lock it waits for (if any). */
const BACKENDS_SQL = `
  SELECT a.state,
         coalesce(a.wait_event_type, '') AS wait_type,
         coalesce(a.wait_event, '') AS wait_event,
         coalesce(l.relation::regclass::text, l.classid::regclass::text, '') AS lock_target,
         a.application_name AS application,
         left(regexp_replace(a.query, '\\s+', ' ', 'g'), 70) AS query
    FROM pg_stat_activity a
    LEFT JOIN LATERAL (
      SELECT relation, classid FROM pg_locks WHERE pid = a.pid AND NOT granted LIMIT 1
    ) l ON true
   WHERE a.datname = $1 AND a.pid <> pg_backend_pid() AND a.state <> 'idle'`;

function kindOf(r: Row): string {
  if (r.state === 'idle in transaction') return 'idle in transaction';
  if (r.wait_type === '') return 'running';
  const target = r.wait_type === 'Lock' && r.lock_target !== '' ? ` ${r.lock_target}` : '';
  return `${r.wait_type}:${r.wait_event}${target}`;
}

function mostCommon(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
}

function summarize(samples: readonly Row[][]): WaitKind[] {
  const byKind = new Map<string, { perSample: number[]; rows: Row[] }>();
  samples.forEach((rows, i) => {
    for (const r of rows) {
      const k = kindOf(r);
      const entry = byKind.get(k) ?? { perSample: new Array<number>(samples.length).fill(0), rows: [] };
      entry.perSample[i] = (entry.perSample[i] ?? 0) + 1;
      entry.rows.push(r);
      byKind.set(k, entry);
    }
  });
  return [...byKind.entries()]
    .map(([kind, { perSample, rows }]) => ({
      kind,
      mean: perSample.reduce((a, b) => a + b, 0) / Math.max(1, samples.length),
      max: Math.max(0, ...perSample),
      query: mostCommon(rows.map((r) => r.query)),
      application: mostCommon(rows.map((r) => r.application)),
    }))
    .sort((a, b) => b.mean - a.mean);
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
  const tableWrites = async (): Promise<Map<string, number>> => {
    const { rows } = await client.query<{ t: string; w: string }>(
      'SELECT relname AS t, n_tup_ins + n_tup_upd + n_tup_del AS w FROM pg_stat_user_tables',
    );
    return new Map(rows.map((r) => [r.t, Number(r.w)]));
  };
  // pg_stat_database is a snapshot per transaction: read outside one, each query sees fresh counters.
  const start = await totals();
  const writes0 = await tableWrites();
  const samples: Row[][] = [];
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void client
      .query<Row>(BACKENDS_SQL, [database])
      .then(({ rows }) => samples.push(rows))
      .catch(() => undefined)
      .finally(() => (busy = false));
  }, everyMs);
  return {
    stop: async () => {
      clearInterval(timer);
      const end = await totals();
      // Backends report their table counters when idle, at most once a second (PostgreSQL 15): wait for the last ones.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const writes1 = await tableWrites();
      await client.end();
      const counts = (f: (r: Row) => boolean): number[] => samples.map((rows) => rows.filter(f).length);
      const mean = (xs: number[]): number => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
      const max = (xs: number[]): number => Math.max(0, ...xs);
      const active = counts((r) => r.state === 'active');
      const lockWaits = counts((r) => r.wait_type === 'Lock');
      const idleInTx = counts((r) => r.state === 'idle in transaction');
      return {
        commits: end.commits - start.commits,
        rollbacks: end.rollbacks - start.rollbacks,
        activeMean: mean(active),
        activeMax: max(active),
        lockWaitsMean: mean(lockWaits),
        lockWaitsMax: max(lockWaits),
        idleInTransactionMean: mean(idleInTx),
        idleInTransactionMax: max(idleInTx),
        waits: summarize(samples),
        samples: samples.length,
        writes: [...writes1.entries()]
          .map(([table, rows]) => ({ table, rows: rows - (writes0.get(table) ?? 0) }))
          .filter((w) => w.rows > 0)
          .sort((a, b) => b.rows - a.rows),
      };
    },
  };
}
