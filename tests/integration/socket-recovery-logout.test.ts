import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import type { ActorEvent } from '../../shared/protocol/live.ts';
import { watchRoom } from '../../server/realtime/play-handlers.ts';
import { mintSessionCookie } from '../support/auth-helpers.ts';
import { joinAs, openSocket, request, startLiveApp, until, type TestSocket } from '../support/live-app.ts';
import { simplePlayQueue } from '../support/simple-play-queue.ts';
import { tempDir } from '../support/temp-files.ts';
import { grantStudyRole } from '../support/study-roles.ts';

const dir = tempDir();
let n = 0;
const open: { close(): Promise<void> | void }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

/**
 * A running episode with a researcher's browser tab watching it. The tab reconnects by itself and has received one
 * broadcast (so it holds an offset: a dropped transport is recovered, rooms and missed broadcasts included).
 */
async function watchedEpisode() {
  const app = await startLiveApp(join(dir, `recovery-${++n}.sqlite`), {
    queue: (storage, name) => simplePlayQueue(storage, name),
  });
  open.push(app);
  const researcher = await app.storage.people.createResearcher({ username: 'watcher', passwordHash: 'x' });
  // Watching a person's episode is study work: the watcher collaborates on the study.
  await grantStudyRole(app.storage, app.studyId, researcher.id, 'collaborator');
  const cookie = await mintSessionCookie(app, 'researcher', researcher.id);
  const actorSocket = await openSocket(app.url, await joinAs(app.app, app.storage, app.studyId, 'actor', `pid-${n}`));
  open.push({ close: () => void actorSocket.close() });
  const actorEvents: ActorEvent[] = [];
  actorSocket.on('episode:appended', ({ event }) => actorEvents.push(event));
  const snapshot = await request(actorSocket, 'play:start', {});
  const questions = () => actorEvents.filter((e) => e.type === 'message' && e.role === 'assistant' && !e.final).length;
  let replies = 0;
  /** Waits for the model's next question, answers it, and returns the reply's seq. */
  const reply = async (): Promise<number> => {
    await until(() => questions() > replies, 5000, 'a question to answer');
    replies += 1;
    const ack = await request(actorSocket, 'episode:reply', {
      episodeId: snapshot.episodeId,
      clientMessageId: `m-${replies}`,
      text: `Answer ${replies}`,
    });
    return ack.seq;
  };

  const watcher: TestSocket = connect(app.url, {
    transports: ['websocket'],
    forceNew: true,
    reconnectionDelay: 20,
    reconnectionDelayMax: 20,
    extraHeaders: { cookie },
  });
  open.push({ close: () => void watcher.close() });
  await new Promise<void>((resolve) => watcher.once('connect', () => resolve()));
  const logged: number[] = [];
  watcher.on('episode:logged', ({ event }) => logged.push(event.seq));
  await request(watcher, 'episode:watch', { episodeId: snapshot.episodeId });
  const first = await reply();
  await until(() => logged.includes(first), 5000, 'the watcher to see the first reply');
  return { app, cookie, episodeId: snapshot.episodeId, watcher, logged, reply };
}

describe('a socket that comes back through connection-state recovery', () => {
  it('is refused when its session was revoked while it was away, and receives nothing more', async () => {
    const { app, cookie, episodeId, watcher, logged, reply } = await watchedEpisode();

    // The transport drops; while the tab is away, the researcher logs out (in another tab) and the episode goes on.
    const outcome = new Promise<(Error & { data?: unknown }) | 'reconnected'>((resolve) => {
      watcher.once('connect_error', resolve);
      watcher.once('connect', () => resolve('reconnected'));
    });
    const seenBefore = logged.length;
    watcher.io.engine.close();
    const logout = await app.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
    expect(logout.statusCode).toBe(200);
    await reply();

    const error = await outcome;
    expect(error).toBeInstanceOf(Error);
    if (error === 'reconnected') return;
    expect(error.message).toBe('unauthenticated');
    expect(error.data).toEqual({ error: 'unauthenticated' });
    // More events are stored; none reaches the logged-out tab, neither as missed broadcasts nor live.
    await reply();
    await new Promise((r) => setTimeout(r, 300));
    expect(watcher.connected).toBe(false);
    expect(logged.length).toBe(seenBefore);
    expect(await app.app.io.in(watchRoom(episodeId)).fetchSockets()).toHaveLength(0);
  });

  it('still recovers while its session is valid: the watch room comes back and events keep arriving', async () => {
    const { watcher, logged, reply } = await watchedEpisode();
    const reconnected = new Promise<void>((resolve) => watcher.once('connect', () => resolve()));
    watcher.io.engine.close();
    await reconnected;
    expect(watcher.recovered).toBe(true);
    const seq = await reply();
    await until(() => logged.includes(seq), 5000, 'the reply to reach the recovered watcher');
  });
});
