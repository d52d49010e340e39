import { readFileSync } from 'node:fs';

/**
 * CPU time and resident memory of another process, from /proc (Linux only). CPU is utime + stime in clock ticks
 * (USER_HZ, 100 on every Linux Node runs on); the sampler reads RSS every `everyMs` and keeps the peak and the mean.
 */
const TICKS_PER_SECOND = 100;

export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces; fields are counted after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

export function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : 0;
}

/** CPU seconds the whole machine has been busy (all cores, all processes), from the first line of /proc/stat. */
export function machineBusySeconds(): number {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: everything but idle and iowait is busy.
  const busy = fields.reduce((a, v, i) => (i === 3 || i === 4 || i > 7 ? a : a + (v || 0)), 0);
  return busy / TICKS_PER_SECOND;
}

/**
 * The main thread's scheduler figures (its thread id is the pid): nanoseconds it ran on a core, and nanoseconds it was
 * ready to run but waited for one. Null where the kernel keeps no schedstat.
 */
export function mainThreadSchedNs(pid: number): { runNs: number; waitNs: number } | null {
  try {
    const [run, wait] = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').trim().split(/\s+/).map(Number);
    return run === undefined || wait === undefined ? null : { runNs: run, waitNs: wait };
  } catch {
    return null;
  }
}

export interface ProcUsage {
  /** CPU seconds used per wall second (1 = one core busy). */
  cpuCores: number;
  cpuSeconds: number;
  rssPeakMb: number;
  rssMeanMb: number;
  /** The whole machine's busy cores over the same time: near the core count, every process (clients too) competes. */
  machineBusyCores: number;
  /**
   * The main thread (the event loop): cores it ran on, and seconds per second it was ready but waited for a core. A
   * loop that is slow while its wait is high lacks CPU (the machine is saturated); one that is slow with little wait
   * has too much work of its own. Absent where the kernel keeps no schedstat.
   */
  loop?: { cpuCores: number; waitForCpu: number };
}

export function sampleProcess(pid: number, everyMs = 250): { stop(): ProcUsage } {
  const cpu0 = cpuSeconds(pid);
  const machine0 = machineBusySeconds();
  const sched0 = mainThreadSchedNs(pid);
  const t0 = Date.now();
  const rss: number[] = [rssMb(pid)];
  const timer = setInterval(() => rss.push(rssMb(pid)), everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      rss.push(rssMb(pid));
      const used = cpuSeconds(pid) - cpu0;
      const wall = (Date.now() - t0) / 1000;
      const sched1 = mainThreadSchedNs(pid);
      const loop =
        sched0 && sched1
          ? {
              cpuCores: (sched1.runNs - sched0.runNs) / 1e9 / wall,
              waitForCpu: (sched1.waitNs - sched0.waitNs) / 1e9 / wall,
            }
          : undefined;
      return {
        ...(loop ? { loop } : {}),
        cpuCores: used / wall,
        cpuSeconds: used,
        machineBusyCores: (machineBusySeconds() - machine0) / wall,
        rssPeakMb: Math.max(...rss),
        rssMeanMb: rss.reduce((a, b) => a + b, 0) / rss.length,
      };
    },
  };
}
