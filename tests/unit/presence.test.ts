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

  it("across nodes: each node's records combine into one presence: any open socket, the latest input, the last close", () => {
    const c = clock();
    // Two nodes' trackers on one clock; `a` reads, `b` is the other node.
    const a = new PresenceTracker({ idleAfterMs: 60_000, now: c.now });
    const b = new PresenceTracker({ idleAfterMs: 60_000, now: c.now });
    const both = (): ReturnType<PresenceTracker['of']> => a.combine([...a.records(['p1']), ...b.records(['p1'])]);
    expect(both()).toEqual({ state: 'disconnected', since: null, lastInputAt: null });

    // Connected only to the other node: online, from its record.
    b.connected('p1');
    expect(a.of('p1')).toEqual({ state: 'disconnected', since: null, lastInputAt: null });
    expect(both()).toEqual({ state: 'online', since: c.at(0), lastInputAt: c.at(0) });

    // A second tab on this node, later: still online since the first; the latest input counts.
    c.advance(10_000);
    a.connected('p1');
    expect(both()).toEqual({ state: 'online', since: c.at(0), lastInputAt: c.at(10_000) });

    // The first tab idles past the limit while the second sends: online since the second's stretch began.
    c.advance(55_000);
    a.input('p1');
    expect(both()).toEqual({ state: 'online', since: c.at(10_000), lastInputAt: c.at(65_000) });

    // The tab on this node closes: the other node's socket is still open, idle there, so the stretch is the input's.
    c.advance(1_000);
    a.disconnected('p1');
    expect(both()).toEqual({ state: 'online', since: c.at(65_000), lastInputAt: c.at(65_000) });
    c.advance(60_000);
    expect(both()).toEqual({ state: 'idle', since: c.at(125_000), lastInputAt: c.at(65_000) });

    // The last socket anywhere closes: disconnected since then, not since this node's earlier close.
    c.advance(4_000);
    b.disconnected('p1');
    expect(both()).toEqual({ state: 'disconnected', since: c.at(130_000), lastInputAt: c.at(65_000) });
    expect(a.of('p1')).toEqual({ state: 'disconnected', since: c.at(66_000), lastInputAt: c.at(65_000) });
  });

  it('reads many participants at once, one answer for each asked', async () => {
    const c = clock();
    const tracker = new PresenceTracker({ now: c.now });
    tracker.connected('p1');
    const read = await tracker.presenceOf(['p1', 'p2']);
    expect([...read.keys()]).toEqual(['p1', 'p2']);
    expect(read.get('p1')?.state).toBe('online');
    expect(read.get('p2')).toEqual({ state: 'disconnected', since: null, lastInputAt: null });
  });
});
