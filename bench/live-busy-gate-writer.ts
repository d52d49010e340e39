import { parentPort, workerData } from 'node:worker_threads';
import { setImmediate as yieldTurn } from 'node:timers/promises';
import { runThisNonWriterInBackground, runThisWriterInBackground } from '../server/services/thread-priority.ts';
import { SqliteStorage } from '../server/storage/sqlite/sqlite-storage.ts';
import { joinLoopWriteGate } from '../server/storage/write-gate.ts';
import { runningEpisodeSummary } from '../tests/support/episode-summary.ts';
import { messageEvent } from '../tests/support/episode-events.ts';

/**
 * bench/live-busy-gate.ts's background writer, as a batch run's research worker writes: at the server's background
 * priority (or nice +10, as before the CPU share), on its own 'block' connection, one finished episode of 40 events per transaction, back to back for
 * `seconds`. Joins the loop's write gate when given it. Posts how many episodes it stored.
 */
export interface GateWriterData {
  file: string;
  seconds: number;
  prefix: string;
  gate?: SharedArrayBuffer;
  /** How the thread leaves the CPU to the loop: the server's CPU share (default) or nice +10 (before issue 17's fix). */
  priority?: 'share' | 'nice';
}

const data = workerData as GateWriterData;
if (data.priority === 'nice') runThisNonWriterInBackground();
else runThisWriterInBackground();
joinLoopWriteGate(data.gate);
const storage = SqliteStorage.open({ file: data.file });
const text = 'a scripted answer of moderate length '.repeat(12);
const events = Array.from({ length: 40 }, (_, seq) => messageEvent(seq, { content: `${seq} ${text}` }));
const until = Date.now() + data.seconds * 1000;
let stored = 0;
while (Date.now() < until) {
  const summary = runningEpisodeSummary(`${data.prefix}-${stored}`, { status: 'completed' });
  await storage.saveEpisode(summary, events);
  stored += 1;
  await yieldTurn();
}
await storage.close();
parentPort?.postMessage({ stored });
