import { describe, expect, it } from 'vitest';
import type { PlaySnapshot } from '../../shared/protocol/live.ts';
import { playingOnThisLoop } from '../../server/storage/write-gate.ts';
import { liveBench } from '../support/live-bench.ts';
import { request } from '../support/live-app.ts';
import { simplePlayQueue } from '../support/simple-play-queue.ts';

/**
 * The loop tells its background threads while people play (server/storage/write-gate.ts), so the research work's
 * threads take their lower CPU share then (background-cpu-share.ts): counted from an episode's start on this loop to
 * its stop, here at the app's close.
 */
const bench = liveBench();

describe('the loop’s count of people playing', () => {
  it('counts each running live episode from its start until it stops', async () => {
    const before = playingOnThisLoop();
    const app = await bench.start({ queue: (storage, name) => simplePlayQueue(storage, name) });
    const first = await bench.join(app);
    const second = await bench.join(app);
    const started: PlaySnapshot = await request(first.socket, 'play:start', {});
    expect(started.status).toBe('running');
    expect(playingOnThisLoop()).toBe(before + 1);
    await request(second.socket, 'play:start', {});
    expect(playingOnThisLoop()).toBe(before + 2);
    await app.close();
    expect(playingOnThisLoop()).toBe(before);
  });
});
