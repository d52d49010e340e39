import { createAdapter } from '@socket.io/postgres-adapter';
import pg from 'pg';
import type { DatabaseLocation } from '../config.ts';
import type { Logger } from '../services/logger.ts';
import { gateBroadcasts, type BroadcastGate, type InterestAdapter } from './room-interest.ts';

/** Where a broadcast payload too big for one NOTIFY (8,000 bytes) waits for the other nodes: the adapter's default. */
export const ATTACHMENTS_TABLE = 'socket_io_attachments';

/** How long a payload stays in that table; the other nodes read it within milliseconds of the NOTIFY. */
const ATTACHMENT_LIFETIME_MS = 30_000;

/** The adapter's connections' application_name. */
export const ADAPTER_APPLICATION_NAME = 'prefdisco socket adapter';

/** The advisory-lock key two nodes starting at once take around creating the table: "sioa". */
const CREATE_LOCK = 0x73696f61;

/**
 * Socket.IO across several app nodes on one PostgreSQL database: every broadcast (`io.to(room).emit`), room change
 * (`socketsJoin`, `disconnectSockets`) is published with NOTIFY and applied by every node to its own sockets.
 */
export interface CrossNodeAdapter {
  adapter: ReturnType<typeof createAdapter>;
  /** Closes the adapter's own connections; the namespace's adapter must be closed first (it says goodbye on them). */
  close(): Promise<void>;
}

/**
 * The adapter when the database is PostgreSQL; null on SQLite (one process serves one file, nothing to share).
 *
 * Its own pool of two connections, apart from storage's: one is held for LISTEN, the other sends every NOTIFY. Why
 * only one sender: the adapter awaits each publish before delivering the broadcast to this node's own sockets, so
 * with several senders two broadcasts in a row (stream chunks of one turn) could finish, and arrive, in either order;
 * with one, the pool's FIFO queue keeps them in emit order on every node. (While the LISTEN connection reconnects,
 * both slots can send; clients treat a seq or chunk-index gap as a reason to resync, so that stays safe.)
 */
export async function crossNodeAdapter(
  database: DatabaseLocation | undefined,
  log: Pick<Logger, 'warn'>,
): Promise<CrossNodeAdapter | null> {
  if (database?.kind !== 'postgres') return null;
  const pool = new pg.Pool({
    connectionString: database.url,
    max: 2,
    connectionTimeoutMillis: 10_000,
    // Named in pg_stat_activity, apart from storage's connections.
    application_name: ADAPTER_APPLICATION_NAME,
  });
  watchHeldConnections(pool, log);
  sendNotifiesTogether(pool);
  try {
    await createAttachmentsTable(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }
  const shared = createAdapter(pool, {
    tableName: ATTACHMENTS_TABLE,
    cleanupInterval: ATTACHMENT_LIFETIME_MS,
    // A failed publish still reaches this node's sockets; the others miss it, and their clients resync on the gap.
    errorHandler: (err) => log.warn({ err }, 'socket adapter: a broadcast could not be shared with other nodes'),
  });
  // Live-episode rooms' broadcasts go to the other nodes only when one of them has a socket in the room. A function,
  // not an arrow: Socket.IO calls it with `new` (it returns the adapter it made, as the package's own does).
  const gates: BroadcastGate[] = [];
  const adapter = function gatedAdapter(nsp: Parameters<typeof shared>[0]): ReturnType<typeof shared> {
    const created = shared(nsp);
    gates.push(gateBroadcasts(created as unknown as InterestAdapter, (message) => log.warn(message)));
    return created;
  };
  // A new connection replaces one that was lost (or is the first): a listener that was away missed room joins.
  pool.on('connect', () => {
    for (const gate of gates) gate.forget();
  });
  return {
    adapter,
    close: async () => {
      // Queued behind the adapter's goodbye (ADAPTER_CLOSE), so it is sent before the pool ends.
      await pool.query('SELECT 1').catch(() => undefined);
      await pool.end();
    },
  };
}

/**
 * The adapter holds one connection for LISTEN for as long as it runs. When the server ends that connection (a restart,
 * a terminated backend), the connection reports an error on itself (the pool listens only to idle ones: unheard, the
 * error would end the process), and the adapter takes a new one from the pool, without giving the dead one back. The
 * pool would count it for ever, and with two slots the new LISTEN connection would take the sender's: every broadcast
 * would then wait for a free connection that never comes. So a held connection that ends is given back here, as
 * broken, and the pool drops it. (Found by the test that cuts the adapter's connections.)
 */
function watchHeldConnections(pool: pg.Pool, log: Pick<Logger, 'warn'>): void {
  const held = new Set<pg.PoolClient>();
  pool.on('acquire', (client) => held.add(client));
  pool.on('release', (_err, client) => held.delete(client));
  pool.on('error', (err) => log.warn({ err }, 'socket adapter: idle PostgreSQL connection lost'));
  pool.on('connect', (client) => {
    client.on('error', (err) => log.warn({ err }, 'socket adapter: PostgreSQL connection lost'));
    client.on('end', () => {
      if (!held.delete(client)) return;
      client.release(new Error('the connection ended while the socket adapter held it'));
    });
  });
}

/** What the adapter sends each message with (its util.ts): one statement, so one round trip, per broadcast. */
const ADAPTER_NOTIFY = 'SELECT pg_notify($1, $2)';
/** At most this many messages in one statement (each under 8,000 bytes). */
const MAX_BATCH = 500;

interface WaitingNotify {
  channel: string;
  payload: string;
  done: (error: Error | null) => void;
}

/**
 * Sends the adapter's messages that queue up while one is on its way in one statement, in their order. Why: its
 * one sending connection makes a round trip per broadcast, and the adapter holds each broadcast back from this
 * node's own sockets until its NOTIFY returns. 5,000 stream-chunk broadcasts from one node to a socket on each of
 * two nodes took 8.4 s one statement each and 2.4 s batched (the in-memory adapter, one node: 2.1 s), measured on a
 * loaded two-core machine; one by one is fewer than the chunks of a few hundred people reading streamed turns at
 * once. A statement's notifications are delivered in the order sent, and batches go one after another, so order
 * holds. (PostgreSQL drops a notification identical to another of the same transaction: two identical broadcasts in
 * one batch reach the other nodes once, which none of ours minds.) Every other statement passes through unchanged.
 */
function sendNotifiesTogether(pool: pg.Pool): void {
  const query = pool.query.bind(pool) as (text: string, values?: unknown[]) => Promise<pg.QueryResult>;
  let waiting: WaitingNotify[] = [];
  let sending = false;
  const sendAll = async (): Promise<void> => {
    sending = true;
    while (waiting.length > 0) {
      const batch = waiting.slice(0, MAX_BATCH);
      waiting = waiting.slice(batch.length);
      try {
        await query('SELECT pg_notify(c, p) FROM unnest($1::text[], $2::text[]) AS t(c, p)', [
          batch.map((n) => n.channel),
          batch.map((n) => n.payload),
        ]);
        for (const n of batch) n.done(null);
      } catch (error) {
        for (const n of batch) n.done(error instanceof Error ? error : new Error(String(error)));
      }
    }
    sending = false;
  };
  const batched = (text: unknown, values?: unknown): Promise<unknown> => {
    if (text !== ADAPTER_NOTIFY || !Array.isArray(values)) return query(text as string, values as unknown[]);
    const [channel, payload] = values as [string, string];
    return new Promise<void>((resolve, reject) => {
      waiting.push({ channel, payload, done: (error) => (error ? reject(error) : resolve()) });
      if (!sending) void sendAll();
    });
  };
  pool.query = batched as typeof pool.query;
}

/**
 * The table the adapter expects but does not create (its README has the application create it), made as it says.
 * Kept out of the numbered migrations on purpose: it belongs to the adapter, exists only on PostgreSQL, and holds
 * nothing for longer than half a minute. Two nodes starting at once would race on CREATE TABLE IF NOT EXISTS (a
 * duplicate-type error), hence the lock.
 */
async function createAttachmentsTable(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [CREATE_LOCK]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${ATTACHMENTS_TABLE} (
         id          bigserial UNIQUE,
         created_at  timestamptz DEFAULT NOW(),
         payload     bytea
       )`,
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
