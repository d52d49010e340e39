import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { PROJECT_ROOT } from '../../server/config.ts';
import { BIN } from './run-cli.ts';

/** A real `prefdisco worker` process, its stderr log lines, and its exit. */
export interface WorkerProcess {
  name: string;
  child: ChildProcess;
  log: string[];
  exited: Promise<number | null>;
}

/** Starts `prefdisco worker --name <name>` with `env` added to the test's environment. */
export function startWorkerProcess(name: string, env: Record<string, string>, args: string[] = []): WorkerProcess {
  const child = spawn(process.execPath, [BIN, 'worker', '--name', name, ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
  });
  const log: string[] = [];
  child.stderr?.on('data', (d: Buffer) => log.push(...d.toString().split('\n').filter(Boolean)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { name, child, log, exited };
}

/** Until the worker logged that it works the queue (its start-up, tsx included, takes seconds on a busy machine). */
export async function workerStarted(worker: WorkerProcess): Promise<void> {
  const up = (): boolean => worker.log.some((l) => l.includes('worker started'));
  for (let i = 0; i < 1200 && !up() && worker.child.exitCode === null; i++) await sleep(50);
  if (!up()) throw new Error(`worker ${worker.name} did not start:\n${worker.log.join('\n')}`);
}

/** SIGTERM, as systemd stops it; resolves to its exit code. */
export async function stopWorker(worker: WorkerProcess): Promise<number | null> {
  worker.child.kill('SIGTERM');
  return worker.exited;
}
