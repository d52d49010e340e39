import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { SqliteStorage } from '../server/storage/sqlite/sqlite-storage.ts';
import { loopWriteGate } from '../server/storage/write-gate.ts';
import { messageEvent } from '../tests/support/episode-events.ts';
import { runningEpisodeSummary } from '../tests/support/episode-summary.ts';
import type { GateWriterData } from './live-busy-gate-writer.ts';

/**
 * The loop's write lock beside one background writer, without the rest of live-busy's load: the loop's connection
 * ('yield', as the server's) appends one event every 5 ms, as live replies and chunks are stored, while a background
 * thread (as the research worker: 'block', joined to the loop's write gate, server/storage/write-gate.ts) stores
 * 40-event episodes back to back. Rounds alternate the writer's priority in one process, so machine load moves both
 * alike; the figure is the ratio: nice +10 (as before issue 17's CPU share) against the server's CPU share
 * (server/storage/background-cpu-share.ts). `hogs` threads spin at the loop's priority meanwhile, so the machine has
 * more runnable threads than cores, as in live-busy (persons' clients, the fake model, other work): that is when a
 * niced writer loses the CPU while it holds the lock.
 * `npx tsx bench/live-busy-gate.ts [seconds per round] [rounds] [hogs, default 2]`
 */

const seconds = Number(process.argv[2] ?? 8);
const rounds = Number(process.argv[3] ?? 3);
const hogs = Number(process.argv[4] ?? 2);
type Priority = 'nice' | 'share';
const BOOT = new URL('./live-busy-gate-boot.mjs', import.meta.url);

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** A thread that keeps one core busy for `ms` (plain JS: no loader needed). */
function hog(ms: number): Promise<void> {
  const worker = new Worker(`const end = Date.now() + ${ms}; let x = 0; while (Date.now() < end) x++;`, { eval: true });
  return new Promise((resolve) => worker.once('exit', () => resolve()));
}

async function round(file: string, priority: Priority, index: number) {
  const loop = SqliteStorage.open({ file, lockWait: 'yield' });
  const episodeId = `loop-${index}`;
  await loop.saveEpisode(runningEpisodeSummary(episodeId), []);
  const data: GateWriterData = { file, seconds, prefix: `bg-${index}`, gate: loopWriteGate(), priority };
  const hogging = Array.from({ length: hogs }, () => hog(seconds * 1000 + 200));
  const worker = new Worker(BOOT, { workerData: data });
  const stored = new Promise<number>((resolve, reject) => {
    worker.once('message', (m: { stored: number }) => resolve(m.stored));
    worker.once('error', reject);
  });
  const waits: number[] = [];
  const pending: Promise<void>[] = [];
  let seq = 0;
  const until = performance.now() + seconds * 1000;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      if (performance.now() >= until) {
        clearInterval(timer);
        resolve();
        return;
      }
      const started = performance.now();
      pending.push(
        loop.live.append(episodeId, messageEvent(seq++)).then(() => {
          waits.push(performance.now() - started);
        }),
      );
    }, 5);
  });
  await Promise.all(pending);
  const background = await stored;
  await Promise.all(hogging);
  await loop.close();
  waits.sort((a, b) => a - b);
  return { p50: percentile(waits, 50), p99: percentile(waits, 99), max: waits.at(-1) ?? 0, background };
}

const dir = mkdtempSync(join(tmpdir(), 'live-busy-gate-'));
try {
  const file = join(dir, 'gate.sqlite');
  await SqliteStorage.open({ file }).close();
  const results: { priority: Priority; p50: number; p99: number; max: number; background: number }[] = [];
  for (let i = 0; i < rounds * 2; i++) {
    const priority: Priority = i % 2 === 1 ? 'share' : 'nice';
    const r = { priority, ...(await round(file, priority, i)) };
    results.push(r);
    process.stdout.write(
      `${priority === 'share' ? 'CPU share' : 'nice +10 '}  loop append p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  max ${r.max.toFixed(0)} ms  background ${(r.background / seconds).toFixed(0)} episodes/s\n`,
    );
  }
  const mean = (priority: Priority, key: 'p99' | 'background'): number => {
    const xs = results.filter((r) => r.priority === priority).map((r) => r[key]);
    return xs.reduce((a, b) => a + b, 0) / xs.length;
  };
  process.stdout.write(
    `${hogs} hogs; mean p99 CPU share ÷ nice +10: ${(mean('share', 'p99') / mean('nice', 'p99')).toFixed(2)}; background episodes CPU share ÷ nice +10: ${(mean('share', 'background') / mean('nice', 'background')).toFixed(2)}\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
