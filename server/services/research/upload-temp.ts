import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Where a browser upload waits on disk while it is validated: a folder of its own in the system temp folder, named
 * `prefdisco-import-<pid>-<random>`. The upload removes it when done, but a process killed mid-upload (out of memory,
 * SIGKILL, power loss) cannot, and a 500 MB leftover per crash fills the disk. The pid in the name says whose folder it
 * is, so start-up can remove the leftovers of dead processes without touching uploads of another server still running
 * on the same machine.
 */
export const UPLOAD_DIR_PREFIX = 'prefdisco-import-';

/** Upload folders in use by this process. */
const active = new Set<string>();

export async function createUploadDir(root: string = tmpdir()): Promise<string> {
  const dir = await mkdtemp(join(root, `${UPLOAD_DIR_PREFIX}${process.pid}-`));
  active.add(dir);
  return dir;
}

export async function removeUploadDir(dir: string): Promise<void> {
  try {
    await rm(dir, { recursive: true, force: true });
  } finally {
    active.delete(dir);
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, run by another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether an upload folder in `root` was left behind: not ours in use, and not of a process still alive. */
function isLeftover(name: string, root: string): boolean {
  const match = new RegExp(`^${UPLOAD_DIR_PREFIX}(\\d+)-`).exec(name);
  // A folder without a pid comes from a version of the app before this rule; its upload cannot still be running
  // across the upgrade's restart.
  if (!match) return true;
  const pid = Number(match[1]);
  // Our own pid but not in use: a previous process that had the same pid (a container restarted keeps pid 1).
  if (pid === process.pid) return !active.has(join(root, name));
  return !processIsAlive(pid);
}

/**
 * At start-up: removes the upload folders earlier processes left in `root` (only folders with our name prefix) and
 * returns how many. Never fails start-up: a folder that cannot be removed is left for the next time.
 */
export async function removeLeftoverUploads(root: string = tmpdir()): Promise<number> {
  let names: string[];
  try {
    names = (await readdir(root, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory() && entry.name.startsWith(UPLOAD_DIR_PREFIX))
      .map((entry) => entry.name);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names.filter((n) => isLeftover(n, root))) {
    try {
      await rm(join(root, name), { recursive: true, force: true });
      removed += 1;
    } catch {
      // Someone else's folder we may not delete, or gone meanwhile: not ours to worry about now.
    }
  }
  return removed;
}
