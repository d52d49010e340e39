import { describe, expect, it } from 'vitest';
import { startLane } from '../../server/realtime/start-lane.ts';

describe('startLane', () => {
  it('lets starts begin in the order asked, one per loop turn, with other I/O-phase work between them', async () => {
    const lane = startLane();
    const log: string[] = [];
    let turn = 0;
    // A marker that re-arms itself every check phase counts the loop's turns (as replies would be served in them).
    let counting = true;
    const tick = (): void => {
      turn += 1;
      if (counting) setImmediate(tick);
    };
    setImmediate(tick);
    const begun = Array.from({ length: 6 }, (_, i) =>
      lane.turn().then(() => {
        log.push(`start ${i} at turn ${turn}`);
        return turn;
      }),
    );
    const turns = await Promise.all(begun);
    counting = false;
    expect(log.map((l) => l.split(' at ')[0])).toEqual([
      'start 0',
      'start 1',
      'start 2',
      'start 3',
      'start 4',
      'start 5',
    ]);
    // Never two starts in the same turn of the loop.
    for (let i = 1; i < turns.length; i++) expect(turns[i]).toBeGreaterThan(turns[i - 1] as number);
  });

  it('a start asked for later, after the lane went quiet, begins on the next turn', async () => {
    const lane = startLane();
    await lane.turn();
    let ran = false;
    setImmediate(() => (ran = true));
    await lane.turn();
    expect(ran).toBe(true);
  });
});
