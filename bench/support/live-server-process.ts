import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../server/config.ts';
import { ADMIN } from './live-study-setup.ts';

export interface ServerProcess {
  url: string;
  pid: number;
  /** SIGTERM: a clean shutdown; SIGKILL: a crash. Resolves with the exit code (null when killed by the signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** The environment `prefdisco serve` gets: port 0, a temp database, a models file, and the admin account. */
/**
 * The server's settings for simulated persons who all connect from loopback: a trusted proxy writes each one's
 * address (X-Forwarded-For), and, as docs/deploying.md says of a server behind a proxy, the per-address connection cap
 * is raised, since every socket arrives from the proxy's address. With the default cap (256) a bench of 1,000 persons
 * had most of them refused and reconnecting every 100 ms, which measured the refusals, not live play.
 */
export function behindLoopbackProxy(persons: number): Record<string, string> {
  return {
    PREFDISCO_TRUST_PROXY: '127.0.0.1,::1',
    PREFDISCO_MAX_CONNECTIONS_PER_IP: String(Math.max(256, 2 * persons + 256)),
  };
}

export function serveEnv(dir: string, modelsFile: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PREFDISCO_PORT: '0',
    PREFDISCO_DB: join(dir, 'live.sqlite'),
    PREFDISCO_MODELS_FILE: modelsFile,
    PREFDISCO_RUNS_DIR: join(dir, 'runs'),
    PREFDISCO_LOG_LEVEL: 'info',
    PREFDISCO_ADMIN_USERNAME: ADMIN.username,
    PREFDISCO_ADMIN_PASSWORD: ADMIN.password,
    ...extra,
  };
}

/**
 * Starts `prefdisco serve` as `npm start` does and resolves once it prints its URL. Unlike the tests' helper it keeps
 * only the last few KB of output (a bench logs a lot) and exposes the pid, so /proc can be sampled.
 */
export async function startServer(
  env: Record<string, string>,
  options: { cpuProfDir?: string | null; logFile?: string } = {},
): Promise<ServerProcess> {
  // A CPU profile is written when the process exits normally, i.e. after stop('SIGTERM'), not after a SIGKILL.
  const profile = options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] : [];
  const child: ChildProcess = spawn(
    process.execPath,
    [...profile, join(PROJECT_ROOT, 'bin', 'prefdisco.mjs'), 'serve'],
    { cwd: PROJECT_ROOT, env: { ...process.env, ...env } },
  );
  let tail = '';
  // The whole log, when asked: a bench that saw failures reads the server's side of them there.
  if (options.logFile) {
    const log = createWriteStream(options.logFile);
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
  }
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    // As long as the tests' own start-up wait: a loaded machine takes tens of seconds to start a server.
    const timer = setTimeout(() => reject(new Error(`the server printed no URL:\n${tail}`)), 60_000);
    const onData = (d: Buffer): void => {
      tail = (tail + d.toString()).slice(-8000);
      const match = /serving at (http:\/\/[^\s"]+)/.exec(tail);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => reject(new Error(`the server exited (${code}):\n${tail}`)));
  });
  return {
    url,
    pid: child.pid ?? -1,
    stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
      child.kill(signal);
      return exited;
    },
  };
}
