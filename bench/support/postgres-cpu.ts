import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * CPU time of a whole PostgreSQL cluster, from /proc (Linux only): the postmaster and every process it forked (one
 * backend per connection, the WAL writer, checkpointer, autovacuum …). A backend that exits during a phase is not
 * lost: once the postmaster reaps it, its CPU time is in the postmaster's cutime/cstime, which are counted too.
 */
const TICKS_PER_SECOND = 100;

interface ProcStat {
  ppid: number;
  /** utime + stime, ticks. */
  own: number;
  /** cutime + cstime: reaped children's, ticks. */
  children: number;
}

function procStat(pid: number): ProcStat | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields counted after the command name's closing parenthesis (the name may contain spaces): state is [0].
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), own: Number(f[11]) + Number(f[12]), children: Number(f[13]) + Number(f[14]) };
  } catch {
    // The process ended between listing /proc and reading it; its time reaches the postmaster's cutime.
    return null;
  }
}

/** The postmaster's pid: the first line of postmaster.pid in the data folder. */
export function postmasterPid(dataDir: string): number {
  const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no postmaster pid in ${dataDir}`);
  return pid;
}

/** CPU seconds the cluster has used so far, and how many processes it has now. */
export function clusterCpu(postmaster: number): { cpuSeconds: number; processes: number } {
  const root = procStat(postmaster);
  if (!root) throw new Error(`the postmaster (${postmaster}) is not running`);
  let ticks = root.own + root.children;
  let processes = 1;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const child = procStat(Number(name));
    if (child?.ppid !== postmaster) continue;
    ticks += child.own;
    processes += 1;
  }
  return { cpuSeconds: ticks / TICKS_PER_SECOND, processes };
}
