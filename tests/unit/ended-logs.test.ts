import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EpisodeEvent } from '../../shared/schemas/episode.ts';
import { EndedLogs } from '../../server/services/live/ended-logs.ts';
import type { LiveEpisodeStorage } from '../../server/storage/live-storage.ts';
import { SqliteStorage } from '../../server/storage/sqlite/sqlite-storage.ts';
import { actorRatedEvent, completedEvent, messageEvent } from '../support/episode-events.ts';
import { runningEpisodeSummary } from '../support/episode-summary.ts';
import { tempDir } from '../support/temp-files.ts';

/** A real SQLite file whose `eventsAfter` calls are counted as [episode, afterSeq]. */
let storage: SqliteStorage;
let reads: [string, number][];
let live: LiveEpisodeStorage;

beforeEach(async () => {
  storage = SqliteStorage.open({ file: join(tempDir(), 'ended.sqlite') });
  reads = [];
  const real = storage.live;
  live = Object.assign(Object.create(real) as LiveEpisodeStorage, {
    eventsAfter: (id: string, after: number) => {
      reads.push([id, after]);
      return real.eventsAfter(id, after);
    },
  });
});
afterEach(async () => {
  await storage.close();
});

/** A live episode stored with `count` events (seq 0..count-1). */
async function episode(id: string, count: number): Promise<EpisodeEvent[]> {
  const study = await storage.createStudy({ name: `Study ${id}` });
  const { participant } = await storage.people.findOrCreateParticipant({
    studyId: study.id,
    role: 'actor',
    prolific: {},
  });
  await storage.live.begin({
    summary: runningEpisodeSummary(id, { userSeat: 'person' }),
    studyId: study.id,
    participantId: participant.id,
    assignmentId: null,
    spec: { maxTurns: 5 },
  });
  const events = Array.from({ length: count }, (_, seq) =>
    seq === count - 1 ? completedEvent(seq) : messageEvent(seq),
  );
  for (const e of events) await storage.live.append(id, e);
  return events;
}

describe('ended logs', () => {
  it('answer a kept log with only what storage holds after it, and the whole stored log either way', async () => {
    const logs = new EndedLogs();
    const events = await episode('e1', 4);
    logs.keep('e1', events, 3);
    expect(await logs.read(live, 'e1')).toEqual(events);
    expect(reads).toEqual([['e1', 3]]);
    // Stored after the end (here or by another node): read, and from then on kept too.
    await storage.live.append('e1', actorRatedEvent(4));
    const all = await storage.live.eventsAfter('e1', -1);
    expect(await logs.read(live, 'e1')).toEqual(all);
    expect(await logs.read(live, 'e1')).toEqual(all);
    expect(reads).toEqual([
      ['e1', 3],
      ['e1', 3],
      ['e1', 4],
    ]);
  });

  it('a kept prefix (the rest still being stored at the end) is completed from storage', async () => {
    const logs = new EndedLogs();
    const events = await episode('e2', 5);
    // Seqs 2-4 were still being stored when the episode ended here.
    logs.keep('e2', events, 1);
    expect(await logs.read(live, 'e2')).toEqual(events);
    expect(reads).toEqual([['e2', 1]]);
  });

  it('read whole from storage when not kept, forgotten, or kept over half an hour ago', async () => {
    let now = 0;
    const logs = new EndedLogs(() => now);
    const events = await episode('e3', 3);
    expect(await logs.read(live, 'e3')).toEqual(events);
    logs.keep('e3', events, 2);
    logs.forget('e3');
    expect(await logs.read(live, 'e3')).toEqual(events);
    logs.keep('e3', events, 2);
    now = 30 * 60_000 + 1;
    expect(await logs.read(live, 'e3')).toEqual(events);
    expect(reads).toEqual([
      ['e3', -1],
      ['e3', -1],
      ['e3', -1],
    ]);
  });

  it('do not keep a log the person has rated already', async () => {
    const logs = new EndedLogs();
    const events = await episode('e4', 3);
    await storage.live.append('e4', actorRatedEvent(3));
    logs.keep('e4', [...events, actorRatedEvent(3)], 3);
    expect(await logs.read(live, 'e4')).toHaveLength(4);
    expect(reads).toEqual([['e4', -1]]);
  });

  it('keep at most the 1,000 latest: the oldest are dropped as new ones are kept', async () => {
    const logs = new EndedLogs();
    const events = await episode('first', 2);
    logs.keep('first', events, 1);
    for (let i = 0; i < 1_000; i++) logs.keep(`other-${i}`, [messageEvent(0)], 0);
    expect(await logs.read(live, 'first')).toEqual(events);
    expect(reads).toEqual([['first', -1]]);
  });
});
