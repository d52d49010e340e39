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
    const timer = setTimeout(() => reject(new Error(`the server printed no URL:\n${tail}`)), 30_000);
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
