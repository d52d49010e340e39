import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';

const driver = createRequire(import.meta.url).resolve('better-sqlite3');

/**
 * Another process takes the database's write lock and holds it `holdMs` (as the research worker, a CLI import or a
 * second tool does); resolves once the lock is held, with a promise of the holder's exit.
 */
export async function holdWriteLock(file: string, holdMs: number): Promise<{ released: Promise<void> }> {
  const code = `
    const Database = require(${JSON.stringify(driver)});
    const db = new Database(${JSON.stringify(file)});
    db.exec('BEGIN IMMEDIATE');
    process.stdout.write('locked\\n');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${holdMs});
    db.exec('COMMIT');
    db.close();`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const released = new Promise<void>((resolve, reject) => {
    child.on('exit', (status) => (status === 0 ? resolve() : reject(new Error(`holder exited ${String(status)}`))));
  });
  for await (const line of createInterface({ input: child.stdout })) if (line === 'locked') break;
  return { released };
}
