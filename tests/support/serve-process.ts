import { spawn, type ChildProcess } from 'node:child_process';
import { PROJECT_ROOT } from '../../server/config.ts';
import { BIN } from './run-cli.ts';

export interface ServedApp {
  url: string;
  /** The server process's id (to read its threads under /proc). */
  pid: number;
  output(): string;
  /** Sends the signal (default SIGTERM: a clean shutdown; SIGKILL: a crash) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Resolves with the exit code once the server ends by itself (no signal sent). */
  exited(): Promise<number | null>;
}

/** Starts `prefdisco serve` on a free port, as `npm start` does, and resolves with its URL once it listens. */
export async function serveProcess(env: Record<string, string>): Promise<ServedApp> {
  const child: ChildProcess = spawn(process.execPath, [BIN, 'serve'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PREFDISCO_PORT: '0', PREFDISCO_LOG_LEVEL: 'info', ...env },
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? (signal ? null : 0))),
  );
  const url = await new Promise<string>((resolve, reject) => {
    // 60 s: a cold start (tsx compiling the server, migrations) on a busy 2-core machine has taken over 30 s. A server
    // that never says it listens is killed, so a failed start leaves no process behind.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server printed no URL:\n${output}`));
    }, 60_000);
    const onData = (d: Buffer): void => {
      output += d.toString();
      const match = /serving at (http:\/\/[^\s"]+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => reject(new Error(`the server exited (${code}):\n${output}`)));
  });
  return {
    url,
    pid: child.pid ?? 0,
    output: () => output,
    stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
      child.kill(signal);
      return exited;
    },
    exited: () => exited,
  };
}

/** The first-run setup link (with its one-time token) the server printed on its console; waits for it briefly. */
export async function setupLinkOf(served: ServedApp, ms = 10_000): Promise<string> {
  const started = Date.now();
  for (;;) {
    const link = /first-run setup: open (http:\/\/localhost(?::\d+)?\/setup#token=[A-Za-z0-9_-]{43})/.exec(
      served.output(),
    )?.[1];
    if (link) return link;
    if (Date.now() - started > ms) throw new Error(`the server printed no setup link:\n${served.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
