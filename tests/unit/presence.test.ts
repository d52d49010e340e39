import { describe, expect, it } from 'vitest';
import { PresenceTracker } from '../../server/services/live/presence.ts';

function clock(start = Date.parse('2026-01-01T12:00:00Z')) {
  let t = start;
  return {
    now: () => new Date(t),
    advance: (ms: number) => void (t += ms),
    at: (ms: number) => new Date(start + ms).toISOString(),
  };
}

describe('PresenceTracker', () => {
  it('never seen: disconnected, since unknown', () => {
    expect(new PresenceTracker().of('p1')).toEqual({ state: 'disconnected', since: null, lastInputAt: null });
  });

  it('online → idle after the threshold without input → online again on input → disconnected on close', () => {
    const c = clock();
    const tracker = new PresenceTracker({ idleAfterMs: 60_000, now: c.now });
    tracker.connected('p1');
    expect(tracker.of('p1')).toEqual({ state: 'online', since: c.at(0), lastInputAt: c.at(0) });

    c.advance(30_000);
    tracker.input('p1');
    c.advance(60_000);
    expect(tracker.of('p1')).toEqual({ state: 'online', since: c.at(0), lastInputAt: c.at(30_000) });
    c.advance(1);
    expect(tracker.of('p1')).toEqual({ state: 'idle', since: c.at(90_000), lastInputAt: c.at(30_000) });

    c.advance(10_000);
    tracker.input('p1');
    expect(tracker.of('p1')).toEqual({ state: 'online', since: c.at(100_001), lastInputAt: c.at(100_001) });

    c.advance(5_000);
    tracker.disconnected('p1');
    c.advance(5_000);
    expect(tracker.of('p1')).toEqual({ state: 'disconnected', since: c.at(105_001), lastInputAt: c.at(100_001) });
  });

  it('counts sockets: one of two tabs closing leaves the participant online; input while disconnected is ignored', () => {
    const c = clock();
    const tracker = new PresenceTracker({ now: c.now });
    tracker.connected('p1');
    tracker.connected('p1');
    tracker.disconnected('p1');
    expect(tracker.of('p1').state).toBe('online');
    tracker.disconnected('p1');
    tracker.disconnected('p1');
    c.advance(1000);
    tracker.input('p1');
    expect(tracker.of('p1')).toEqual({ state: 'disconnected', since: c.at(0), lastInputAt: c.at(0) });
    tracker.connected('p1');
    expect(tracker.of('p1')).toEqual({ state: 'online', since: c.at(1000), lastInputAt: c.at(1000) });
  });
});
