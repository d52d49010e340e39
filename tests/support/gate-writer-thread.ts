import { parentPort, workerData } from 'node:worker_threads';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import { joinLoopWriteGate } from '../../server/storage/write-gate.ts';

/**
 * A background thread as the server starts them (tests/integration/loop-write-gate.test.ts): it joins the loop's
 * write gate when given one, opens its own 'block' connection to the file, and creates a study per `write` message,
 * answering `written` once it is stored.
 */
export interface GateWriterData {
  file: string;
  gate?: SharedArrayBuffer;
}
export type GateWriterMessage = { type: 'write'; name: string } | { type: 'stop' };
export type GateWriterReply = { type: 'ready' } | { type: 'written'; name: string };

const port = parentPort;
if (!port) throw new Error('gate-writer-thread.ts runs only as a worker thread');
const data = workerData as GateWriterData;
joinLoopWriteGate(data.gate);
const storage = SqliteStorage.open({ file: data.file });
port.on('message', (message: GateWriterMessage) => {
  if (message.type === 'stop') {
    void storage.close().then(() => port.close());
    return;
  }
  void storage.createStudy({ name: message.name }).then(() => {
    port.postMessage({ type: 'written', name: message.name } satisfies GateWriterReply);
  });
});
port.postMessage({ type: 'ready' } satisfies GateWriterReply);
