import { fileURLToPath } from 'node:url';
import { isIP } from 'node:net';
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { normalizeOrigin } from './services/auth/origin-policy.ts';

/** The repository root; relative paths in config are resolved against it, so the app behaves the same from any cwd. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

function unsetIfEmpty<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === '' ? undefined : v), schema);
}

export const DEFAULT_MAX_CONNECTIONS_PER_IP = 256;
export const DEFAULT_REQUEST_TIMEOUT_MS = 300_000;

const EnvSchema = z.object({
  PREFDISCO_HOST: z.string().min(1).default('127.0.0.1'),
  PREFDISCO_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
  PREFDISCO_DB: z.string().min(1).default('data/prefdisco.sqlite'),
  // Set: the app stores everything in this PostgreSQL database instead of the SQLite file (new; several servers may
  // serve it, each under its own node lease).
  PREFDISCO_DATABASE_URL: unsetIfEmpty(z.string().optional()),
  PREFDISCO_PERSONAS_DIR: z.string().min(1).default('personas'),
  PREFDISCO_SAMPLE_FILE: z.string().min(1).default('data/sample-benchmark.jsonl'),
  PREFDISCO_SAMPLE_STUDY: z.string().min(1).default('Sample benchmark'),
  PREFDISCO_SEED_SAMPLE: bool.default(true),
  PREFDISCO_CLIENT_DIR: z.string().min(1).default('dist/client'),
  PREFDISCO_MODELS_FILE: z.string().min(1).default('config/models.json'),
  PREFDISCO_RUNS_DIR: z.string().min(1).default('data/runs'),
  PREFDISCO_PROMPTS_DIR: unsetIfEmpty(z.string().min(1).default('data/prompts')),
  PREFDISCO_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Security (docs/security.md). An empty value counts as unset, as env files often leave them empty.
  PREFDISCO_COOKIE_SECRET: unsetIfEmpty(z.string().min(32, 'must have at least 32 characters').optional()),
  PREFDISCO_SECURE_COOKIES: unsetIfEmpty(bool.default(false)),
  PREFDISCO_TRUST_PROXY: unsetIfEmpty(z.string().optional()),
  PREFDISCO_ALLOWED_ORIGINS: unsetIfEmpty(z.string().optional()),
  PREFDISCO_ADMIN_USERNAME: unsetIfEmpty(z.string().optional()),
  PREFDISCO_ADMIN_PASSWORD: unsetIfEmpty(z.string().optional()),
  PREFDISCO_MAX_CONNECTIONS_PER_IP: unsetIfEmpty(
    z.coerce.number().int().min(1).max(1_000_000).default(DEFAULT_MAX_CONNECTIONS_PER_IP),
  ),
  PREFDISCO_SETUP_LINK_PORT: unsetIfEmpty(z.coerce.number().int().min(1).max(65535).optional()),
  PREFDISCO_RETENTION_PURGE_HOURS: unsetIfEmpty(z.coerce.number().min(0).max(8760).default(24)),
  PREFDISCO_NODE_LEASE_SECONDS: unsetIfEmpty(z.coerce.number().min(2).max(300).default(15)),
  PREFDISCO_REQUEST_TIMEOUT_SECONDS: unsetIfEmpty(
    z.coerce
      .number()
      .int()
      .min(1)
      .max(86_400)
      .default(DEFAULT_REQUEST_TIMEOUT_MS / 1000),
  ),
});

/**
 * Where the app's data lives: the SQLite file (PREFDISCO_DB, the default) or a PostgreSQL database
 * (PREFDISCO_DATABASE_URL). Plain data, so threads are handed it and open their own connection (server/open-storage.ts).
 */
export type DatabaseLocation = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

export interface Config {
  host: string;
  port: number;
  /** The database every process and thread of the server opens. */
  database: DatabaseLocation;
  /** The SQLite file (PREFDISCO_DB), for what only SQLite has (backup, restore); unused when `database` is PostgreSQL. */
  databaseFile: string;
  personasDir: string;
  sampleFile: string;
  sampleStudy: string;
  seedSample: boolean;
  clientDir: string;
  /** Declared models (JSON, see config/models.example.json); when the file is absent only `scripted` exists. */
  modelsFile: string;
  /** Results files of batch runs started from the browser (`<runId>.jsonl`, reference format). */
  runsDir: string;
  /**
   * The prompt packs live studies may use, one folder per pack (docs/prompt-packs.md). Studies name a pack by its
   * folder name only; a folder that does not exist offers none.
   */
  promptsDir: string;
  logLevel: z.infer<typeof EnvSchema>['PREFDISCO_LOG_LEVEL'];
  /** Signs session cookies; when null the server generates one once and keeps it in the database. */
  cookieSecret: string | null;
  /** Cookies get the Secure flag (and HSTS is sent): set when the app is served over https. */
  secureCookies: boolean;
  /**
   * Which reverse proxies may tell the client's address (X-Forwarded-For), so rate limits see each client's own
   * address: false (none), a hop count, or the proxies' addresses/CIDRs. Passed to Fastify's `trustProxy`.
   */
  trustProxy: TrustProxy;
  /** Other browser origins allowed to call the API and open sockets with a person's cookie (normally none). */
  allowedOrigins: string[];
  /** PREFDISCO_ADMIN_USERNAME; `serve` creates this researcher on a database without any. */
  adminUsername: string | null;
  /** PREFDISCO_ADMIN_PASSWORD: a secret, used only to create that account (also by `prefdisco admin create`). */
  adminPassword: string | null;
  /**
   * Sockets (HTTP and WebSocket) one address may hold open at once; the excess is closed at once. Generous by default,
   * as a campus or company NAT puts many people behind one address.
   */
  maxConnectionsPerIp: number;
  /**
   * Time a client has to send a whole request, body included (Node's requestTimeout: the server is one, so it suits
   * the largest upload, a 512 MB import, at ~14 Mbit/s; raise it for slower links). A slow body that drips in is cut when it runs out.
   */
  requestTimeoutMs: number;
  /**
   * How often the server runs the retention purge (docs/data-protection.md, "Retention"); 0 never. It also runs once
   * at start-up.
   */
  retentionPurgeIntervalMs: number;
  /**
   * How long a node's lease and its live episodes' leases last unrenewed (renewed every third of it). On PostgreSQL a
   * live episode whose node died is taken over by another node this long after the death at most.
   */
  nodeLeaseMs: number;
  /**
   * The port the printed first-run setup link names, when browsers reach the app on another port than the server's:
   * `npm run dev` sets the Vite dev server's, which proxies the API. Null: the server's own port.
   */
  setupLinkPort: number | null;
}

/** false: no proxy; a number: that many hops in front of the app; a list: the proxies' addresses or CIDRs. */
export type TrustProxy = false | number | string[];

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const DEFAULT_PORT = 5170;

function fromRoot(path: string): string {
  return path === ':memory:' || isAbsolute(path) ? path : resolve(PROJECT_ROOT, path);
}

/** PREFDISCO_DATABASE_URL: a postgres:// or postgresql:// URL; anything else is a ConfigError (password never shown). */
export function parseDatabaseUrl(value: string): string {
  let protocol: string;
  try {
    protocol = new URL(value).protocol;
  } catch {
    protocol = '';
  }
  if (protocol !== 'postgres:' && protocol !== 'postgresql:') {
    throw new ConfigError(
      'invalid configuration:\n  PREFDISCO_DATABASE_URL: expected a postgres:// or postgresql:// URL ' +
        '(postgresql://user:password@host:5432/database), or leave it unset to use the SQLite file PREFDISCO_DB',
    );
  }
  return value;
}

/** The URL with its password replaced, for messages and logs. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the PostgreSQL database (PREFDISCO_DATABASE_URL)';
  }
}

/** How messages name a database: the SQLite file's path, or the PostgreSQL URL without its password. */
export function describeDatabase(location: DatabaseLocation): string {
  return location.kind === 'sqlite' ? location.file : redactDatabaseUrl(location.url);
}

/** "https://a.example, https://b.example" → normalized origins; a value that is not an http(s) URL is a ConfigError. */
function parseOrigins(list: string | undefined): string[] {
  const values = (list ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
  return values.map((value) => {
    try {
      return normalizeOrigin(value);
    } catch {
      throw new ConfigError(`invalid configuration:\n  PREFDISCO_ALLOWED_ORIGINS: "${value}" is not an http(s) origin`);
    }
  });
}

// proxy-addr's (Fastify's) names for address ranges, accepted as list entries.
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrCidr(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d{1,3}$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}

/**
 * PREFDISCO_TRUST_PROXY: `false` (default), a hop count (`1`: one proxy in front), or a comma list of the proxies'
 * addresses/CIDRs (`127.0.0.1,::1`, `10.0.0.0/8`). `true` is refused: it trusted every hop, so the left-most
 * X-Forwarded-For (written by the client) became the client's address and every per-address limit was the client's
 * to choose.
 */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const text = (value ?? '').trim().toLowerCase();
  const fail = (why: string): never => {
    throw new ConfigError(`invalid configuration:\n  PREFDISCO_TRUST_PROXY: ${why}`);
  };
  if (text === '' || text === 'false' || text === 'no' || text === '0') return false;
  if (text === 'true' || text === 'yes') {
    return fail(
      `"${value}" would trust every hop, letting a client choose its own address with X-Forwarded-For. Name the ` +
        'proxy instead: its address (127.0.0.1,::1 for a proxy on the same host) or the number of proxies in ' +
        'front of the app (1)',
    );
  }
  if (/^\d+$/.test(text)) return Number(text);
  const entries = text
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
  const bad = entries.filter((entry) => !isAddressOrCidr(entry));
  if (bad.length > 0) {
    fail(`"${bad.join('", "')}" is not an IP address or CIDR (expected e.g. 127.0.0.1,::1 or 10.0.0.0/8, or 1)`);
  }
  return entries;
}

/**
 * The value for Fastify's `trustProxy`. Fastify (5.12) treats a bare number as "trust nothing", because a hop count
 * cannot check who is connecting; a hop count here means: believe that many hops, the connecting peer first. That is
 * right when only the proxy can reach the app (PREFDISCO_HOST=127.0.0.1 with the proxy on the same host); the address
 * list is right everywhere.
 */
export function fastifyTrustProxy(trust: TrustProxy): false | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust !== 'number') return trust;
  return (_address, hop) => hop < trust;
}

/** Parses configuration from the environment. The only place in the server that reads process.env. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  return {
    host: e.PREFDISCO_HOST,
    port: e.PREFDISCO_PORT ?? e.PORT ?? DEFAULT_PORT,
    database:
      e.PREFDISCO_DATABASE_URL === undefined
        ? { kind: 'sqlite', file: fromRoot(e.PREFDISCO_DB) }
        : { kind: 'postgres', url: parseDatabaseUrl(e.PREFDISCO_DATABASE_URL) },
    databaseFile: fromRoot(e.PREFDISCO_DB),
    personasDir: fromRoot(e.PREFDISCO_PERSONAS_DIR),
    sampleFile: fromRoot(e.PREFDISCO_SAMPLE_FILE),
    sampleStudy: e.PREFDISCO_SAMPLE_STUDY,
    seedSample: e.PREFDISCO_SEED_SAMPLE,
    clientDir: fromRoot(e.PREFDISCO_CLIENT_DIR),
    modelsFile: fromRoot(e.PREFDISCO_MODELS_FILE),
    runsDir: fromRoot(e.PREFDISCO_RUNS_DIR),
    promptsDir: fromRoot(e.PREFDISCO_PROMPTS_DIR),
    logLevel: e.PREFDISCO_LOG_LEVEL,
    cookieSecret: e.PREFDISCO_COOKIE_SECRET ?? null,
    secureCookies: e.PREFDISCO_SECURE_COOKIES,
    trustProxy: parseTrustProxy(e.PREFDISCO_TRUST_PROXY),
    allowedOrigins: parseOrigins(e.PREFDISCO_ALLOWED_ORIGINS),
    adminUsername: e.PREFDISCO_ADMIN_USERNAME ?? null,
    adminPassword: e.PREFDISCO_ADMIN_PASSWORD ?? null,
    maxConnectionsPerIp: e.PREFDISCO_MAX_CONNECTIONS_PER_IP,
    requestTimeoutMs: e.PREFDISCO_REQUEST_TIMEOUT_SECONDS * 1000,
    retentionPurgeIntervalMs: e.PREFDISCO_RETENTION_PURGE_HOURS * 3_600_000,
    nodeLeaseMs: e.PREFDISCO_NODE_LEASE_SECONDS * 1000,
    setupLinkPort: e.PREFDISCO_SETUP_LINK_PORT ?? null,
  };
}

/**
 * A secret from the environment, by the variable name a config file gives (model API keys). Secrets are read only
 * here and never written to files, logs or results.
 */
export function secretFromEnv(variable: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[variable];
  return value === undefined || value === '' ? undefined : value;
}
