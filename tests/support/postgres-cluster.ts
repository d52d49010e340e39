import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './caddy.ts';

/**
 * A throwaway PostgreSQL cluster for the tests: Debian's server binaries (`apt-get install postgresql`, which .ci/run
 * does), initdb in a temporary folder, listening on 127.0.0.1 only, at a free port, with its unix socket in that
 * folder, so it never meets a system cluster. Durability is switched off (fsync, synchronous_commit, full-page
 * writes): the data dies with the test run.
 */

/** Debian installs each major version under /usr/lib/postgresql/<major>/bin, off PATH; the newest one is used. */
export function postgresBinDir(root = '/usr/lib/postgresql'): string | null {
  if (!existsSync(root)) return null;
  const majors = readdirSync(root)
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a));
  for (const major of majors) {
    const bin = join(root, major, 'bin');
    if (['initdb', 'pg_ctl', 'postgres'].every((tool) => existsSync(join(bin, tool)))) return bin;
  }
  return null;
}

const BIN_DIR = postgresBinDir();

/** Whether the PostgreSQL tests can run here; they are skipped (saying so) when not. */
export const postgresInstalled = BIN_DIR !== null;

/** The name a skipped suite shows, so a run without PostgreSQL says why those tests did not run. */
export const POSTGRES_SKIP_REASON = 'skipped: PostgreSQL is not installed (apt-get install postgresql; .ci/run does)';

/** The cluster's superuser; loopback connections are trusted, so it needs no password. */
const SUPERUSER = 'prefdisco';

/**
 * initdb and pg_ctl refuse to run as root, so under uid 0 they run as Debian's `postgres` system user, which then
 * owns the cluster's folder.
 */
function runAs(): { prefix: string[]; owner: { uid: number; gid: number } | null } {
  if (process.getuid?.() !== 0) return { prefix: [], owner: null };
  const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
  if (!Number.isInteger(uid) || !Number.isInteger(gid) || uid === 0) {
    throw new Error('running as root needs the postgres system user (made by the postgresql package)');
  }
  return { prefix: ['runuser', '-u', 'postgres', '--'], owner: { uid, gid } };
}

/** The command line running `tool` as the cluster's owner. */
function commandLine(prefix: string[], tool: string, args: string[]): [string, string[]] {
  const [command = tool, ...rest] = [...prefix, tool, ...args];
  return [command, rest];
}

function run(prefix: string[], tool: string, args: string[]): void {
  const [command, rest] = commandLine(prefix, tool, args);
  // cwd '/': the postgres user may not be allowed into the test's working folder.
  const result = spawnSync(command, rest, { encoding: 'utf8', cwd: '/' });
  if (result.status !== 0) {
    throw new Error(`${tool} ${args.join(' ')} failed (${result.status}):\n${result.stdout}${result.stderr}`);
  }
}

/** Where a running cluster is, in a form a vitest global setup can hand to the test files (plain JSON). */
export interface PostgresClusterAddress {
  host: string;
  port: number;
  user: string;
}

export interface PostgresCluster extends PostgresClusterAddress {
  dir: string;
  /** The server's log so far (for a failing test's message). */
  log(): string;
  /** Stops the server at once (the data is thrown away) and removes the folder. Safe to call twice. */
  stop(): void;
}

export function connectionString(address: PostgresClusterAddress, database: string): string {
  return `postgres://${address.user}@${address.host}:${address.port}/${encodeURIComponent(database)}`;
}

/** Starts a cluster; a port taken between choosing and binding it is retried with another. */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  if (!BIN_DIR) throw new Error(POSTGRES_SKIP_REASON);
  const bin = BIN_DIR;
  const { prefix, owner } = runAs();
  const dir = mkdtempSync(join(tmpdir(), 'prefdisco-pg-'));
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const data = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  const pgCtl = join(bin, 'pg_ctl');
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    if (existsSync(join(data, 'postmaster.pid'))) {
      // Immediate: nothing in a throwaway cluster needs a clean shutdown, and it is the quickest.
      const [command, args] = commandLine(prefix, pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop']);
      spawnSync(command, args, { cwd: '/', stdio: 'ignore' });
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // --no-sync: initdb's own fsyncs are most of its time; -A trust: only loopback and the private socket can connect.
    run(prefix, join(bin, 'initdb'), [
      '-D',
      data,
      '-U',
      SUPERUSER,
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--locale=C.UTF-8',
      '--no-sync',
    ]);
    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const options = [
        `-p ${port}`,
        '-c listen_addresses=127.0.0.1',
        `-c unix_socket_directories=${dir}`,
        '-c fsync=off',
        '-c synchronous_commit=off',
        '-c full_page_writes=off',
        '-c max_connections=200',
      ].join(' ');
      try {
        run(prefix, pgCtl, ['-D', data, '-l', logFile, '-w', '-t', '60', '-o', options, 'start']);
        break;
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
    watchParent(prefix, pgCtl, dir, data);
    const cluster: PostgresCluster = {
      dir,
      host: '127.0.0.1',
      port,
      user: SUPERUSER,
      log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
      stop,
    };
    return cluster;
  } catch (error) {
    stop();
    throw error;
  }
}

/**
 * If the test process dies without its teardown (killed, crashed), a detached watcher stops the cluster and removes
 * its folder, so no postgres outlives the run. It polls the test process once a second and exits with it.
 */
function watchParent(prefix: string[], pgCtl: string, dir: string, data: string): void {
  const stopCommand = [...prefix, pgCtl, '-D', data, '-m', 'immediate', '-w', 'stop'].map(shellQuote).join(' ');
  const script =
    `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; ` +
    `if [ -f ${shellQuote(join(data, 'postmaster.pid'))} ]; then ${stopCommand} >/dev/null 2>&1; fi; ` +
    `rm -rf ${shellQuote(dir)}`;
  const watcher = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore', cwd: '/' });
  watcher.unref();
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A client on the cluster's maintenance database, for CREATE/DROP DATABASE. */
async function adminClient(address: PostgresClusterAddress): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: connectionString(address, 'postgres') });
  await client.connect();
  return client;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

let databaseCounter = 0;

/**
 * Creates an empty database (a copy of `template`: template0 by default, or a database the caller prepared, e.g. one
 * already migrated, which is far cheaper than migrating again) and returns its name and connection string.
 */
export async function createDatabase(
  address: PostgresClusterAddress,
  options: { template?: string; prefix?: string } = {},
): Promise<{ name: string; url: string }> {
  databaseCounter += 1;
  const name = `${options.prefix ?? 'test'}_${process.pid}_${databaseCounter}_${Date.now().toString(36)}`;
  const admin = await adminClient(address);
  try {
    // FILE_COPY (PostgreSQL 15+) copies a small template's files at once; the default, WAL_LOG, writes every block to
    // the WAL and was about three times slower for the migrated schema, slower even than migrating an empty database.
    const version = await admin.query<{ server_version_num: string }>('SHOW server_version_num');
    const strategy = Number(version.rows[0]?.server_version_num) >= 150_000 ? ' STRATEGY FILE_COPY' : '';
    await admin.query(
      `CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(options.template ?? 'template0')}${strategy}`,
    );
  } finally {
    await admin.end();
  }
  return { name, url: connectionString(address, name) };
}

/**
 * Drops databases, disconnecting anyone still on them (a test that failed half-way may have left a pool open), on one
 * maintenance connection: a contract file makes about 70, and a connection each made its clean-up outlast the hook's
 * time on a loaded machine.
 */
export async function dropDatabases(address: PostgresClusterAddress, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  const admin = await adminClient(address);
  try {
    for (const name of names) await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
