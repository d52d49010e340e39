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
 * The loop's write gate (server/storage/write-gate.ts) alone, without the rest of live-busy's load: the loop's
 * connection ('yield', as the server's) appends one event every 5 ms, as live replies and chunks are stored, while a
 * background thread (as the research worker: nice +10, 'block') stores 40-event episodes back to back. Rounds
 * alternate without and with the gate in one process, so machine load moves both alike; the figure is the ratio.
 * `npx tsx bench/live-busy-gate.ts [seconds per round] [rounds]`
 */

const seconds = Number(process.argv[2] ?? 8);
const rounds = Number(process.argv[3] ?? 3);
const BOOT = new URL('./live-busy-gate-boot.mjs', import.meta.url);

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function round(file: string, gated: boolean, index: number) {
  const loop = SqliteStorage.open({ file, lockWait: 'yield' });
  const episodeId = `loop-${index}`;
  await loop.saveEpisode(runningEpisodeSummary(episodeId), []);
  const data: GateWriterData = { file, seconds, prefix: `bg-${index}`, ...(gated ? { gate: loopWriteGate() } : {}) };
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
  await loop.close();
  waits.sort((a, b) => a - b);
  return { p50: percentile(waits, 50), p99: percentile(waits, 99), max: waits.at(-1) ?? 0, background };
}

const dir = mkdtempSync(join(tmpdir(), 'live-busy-gate-'));
try {
  const file = join(dir, 'gate.sqlite');
  await SqliteStorage.open({ file }).close();
  const results: { gated: boolean; p50: number; p99: number; max: number; background: number }[] = [];
  for (let i = 0; i < rounds * 2; i++) {
    const gated = i % 2 === 1;
    const r = { gated, ...(await round(file, gated, i)) };
    results.push(r);
    process.stdout.write(
      `${gated ? 'gate   ' : 'no gate'}  loop append p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  max ${r.max.toFixed(0)} ms  background ${(r.background / seconds).toFixed(0)} episodes/s\n`,
    );
  }
  const mean = (gated: boolean, key: 'p99' | 'background'): number => {
    const xs = results.filter((r) => r.gated === gated).map((r) => r[key]);
    return xs.reduce((a, b) => a + b, 0) / xs.length;
  };
  process.stdout.write(
    `mean p99 with gate ÷ without: ${(mean(true, 'p99') / mean(false, 'p99')).toFixed(2)}; background episodes with ÷ without: ${(mean(true, 'background') / mean(false, 'background')).toFixed(2)}\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
