import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';
import { joinAs, openSocket, startLiveApp, type LiveApp, type TestSocket } from './live-app.ts';
import { tempDir } from './temp-files.ts';

export type LiveAppOptions = Parameters<typeof startLiveApp>[1];

/** A participant as their browser holds them: the session cookie and a connected socket. */
export interface LiveParticipant {
  cookie: string;
  socket: TestSocket;
}

/**
 * Live apps and browsers for one test file. Apps run on SQLite files in a temporary folder of the file's own;
 * everything the bench opens is closed, last opened first, after each test (`closeAfter: 'each'`) or after the
 * file (`'all'`), so a failing test leaves no server or socket behind for the next one.
 */
export interface LiveBench {
  /** A path for a new SQLite file in the bench's folder: for tests that start a second app on the same file. */
  file(name?: string): string;
  /**
   * The real app with live play on `file` (default: a new file), closed with the bench. A test may close it sooner
   * (a server stopping mid-episode); closing it again then does nothing.
   */
  start(options: LiveAppOptions, file?: string): Promise<LiveApp>;
  /**
   * Joins a study of `app` (default: the sample study) through an invitation link as `role` (default: actor) with
   * the Prolific id `pid` (default: a new one), and connects their socket.
   */
  join(app: LiveApp, who?: { role?: 'actor' | 'rater'; studyId?: string; pid?: string }): Promise<LiveParticipant>;
  /** A browser's socket with `cookie` (null: no session), closed with the bench. */
  connect(app: LiveApp, cookie: string | null): Promise<TestSocket>;
}

export function liveBench(closeAfter: 'each' | 'all' = 'each'): LiveBench {
  const dir = tempDir('prefdisco-live-');
  const open: { close(): Promise<void> | void }[] = [];
  let n = 0;
  (closeAfter === 'each' ? afterEach : afterAll)(async () => {
    for (const o of open.splice(0).reverse()) await o.close();
  });
  const bench: LiveBench = {
    file: (name = 'live') => join(dir, `${name}-${++n}.sqlite`),
    start: async (options, file = bench.file()) => {
      const started = await startLiveApp(file, options);
      let closing: Promise<void> | null = null;
      const app = { ...started, close: () => (closing ??= started.close()) };
      open.push(app);
      return app;
    },
    join: async (app, who = {}) => {
      const role = who.role ?? 'actor';
      const cookie = await joinAs(app.app, app.storage, who.studyId ?? app.studyId, role, who.pid ?? `pid-${++n}`);
      return { cookie, socket: await bench.connect(app, cookie) };
    },
    connect: async (app, cookie) => {
      const socket = await openSocket(app.url, cookie);
      open.push({ close: () => void socket.close() });
      return socket;
    },
  };
  return bench;
}
