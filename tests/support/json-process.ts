import { spawn } from 'node:child_process';

/**
 * Runs a TypeScript script in a process of its own (through tsx) and resolves to the JSON it prints on stdout; rejects
 * with its stderr when it exits with an error. For races that need real separate processes on one database.
 */
export function runJsonProcess<T>(script: string, args: readonly string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args]);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(JSON.parse(out) as T) : reject(new Error(`worker exited ${code}: ${err}`)),
    );
  });
}
