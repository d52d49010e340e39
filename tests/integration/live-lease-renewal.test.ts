import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ActorEvent } from '../../shared/protocol/live.ts';
import { LEASE_RENEW_INTERVAL_MS } from '../../server/services/live/play-lease-renewal.ts';
import { joinAs, openSocket, request, startLiveApp, until } from '../support/live-app.ts';
import { simplePlayQueue } from '../support/simple-play-queue.ts';
import { tempDir } from '../support/temp-files.ts';

const dir = tempDir();
const open: { close(): Promise<void> | void }[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const o of open.splice(0).reverse()) await o.close();
});

describe("an actor's play lease during a live episode", () => {
  it('is renewed by a reply once the renewal interval has passed, not by every reply', async () => {
    // Only Date moves (timers stay real): the server's clock jumps past the interval between two replies.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-01T10:00:00Z'));
    const renewals: number[] = [];
    const app = await startLiveApp(join(dir, 'lease.sqlite'), {
      queue: (storage, name) => {
        const queue = simplePlayQueue(storage, name);
        return { ...queue, renewPlay: async () => void renewals.push(Date.now()) };
      },
    });
    open.push(app);
    const socket = await openSocket(app.url, await joinAs(app.app, app.storage, app.studyId, 'actor', 'pid-lease'));
    open.push({ close: () => void socket.close() });
    const events: ActorEvent[] = [];
    socket.on('episode:appended', ({ event }) => events.push(event));
    const snapshot = await request(socket, 'play:start', {});
    const questions = () => events.filter((e) => e.type === 'message' && e.role === 'assistant' && !e.final).length;
    let replies = 0;
    const reply = async () => {
      await until(() => questions() > replies, 5000, 'a question to answer');
      replies += 1;
      await request(socket, 'episode:reply', {
        episodeId: snapshot.episodeId,
        clientMessageId: `m-${replies}`,
        text: `Answer ${replies}`,
      });
    };

    // The lease was just taken with the unit: the first reply leaves it alone.
    await reply();
    expect(renewals).toEqual([]);
    vi.setSystemTime(Date.now() + LEASE_RENEW_INTERVAL_MS);
    await reply();
    expect(renewals).toEqual([Date.now()]);
    // Right after a renewal, the next reply does not renew again.
    await reply();
    expect(renewals).toHaveLength(1);
  });
});
