import { describe, expect, it } from 'vitest';
import type { EpisodeEvent } from '../../shared/schemas/episode.ts';
import { request, type LiveApp } from '../support/live-app.ts';
import { playEpisode } from '../support/live-actor.ts';
import { liveBench } from '../support/live-bench.ts';
import { simplePlayQueue } from '../support/simple-play-queue.ts';

const bench = liveBench();

/** No simulated twin: its job reads the live episode too, and these tests count the reads of the person's requests. */
async function liveApp(): Promise<LiveApp> {
  return bench.start({ queue: (storage, name) => simplePlayQueue(storage, name, { simulatedTwin: false }) });
}

/** Every `eventsAfter` the server asks of its storage, as [episode, afterSeq] (the real storage still answers). */
function recordReads(app: LiveApp): [string, number][] {
  const reads: [string, number][] = [];
  const live = app.storage.live;
  const read = live.eventsAfter.bind(live);
  live.eventsAfter = (episodeId, afterSeq) => {
    reads.push([episodeId, afterSeq]);
    return read(episodeId, afterSeq);
  };
  return reads;
}

/** Until the episode's end is stored and this node has let the engine go (a moment after the end is stored). */
async function ended(app: LiveApp, episodeId: string): Promise<EpisodeEvent[]> {
  await expect.poll(async () => (await app.storage.live.get(episodeId))?.summary.status).toBe('completed');
  await new Promise((r) => setTimeout(r, 200));
  return app.storage.live.eventsAfter(episodeId, -1);
}

const allThrees = (criteria: string[]) => ({
  scores: Object.fromEntries(criteria.map((c) => [c, 3])),
  secondsSpent: 5,
});

describe('a new live episode', () => {
  it("is shown to its person without reading back the episode's row the start just stored", async () => {
    const app = await liveApp();
    const gets: string[] = [];
    const live = app.storage.live;
    const get = live.get.bind(live);
    live.get = (episodeId) => {
      gets.push(episodeId);
      return get(episodeId);
    };
    const { socket } = await bench.join(app);
    const snapshot = await request(socket, 'play:start', {});
    expect(snapshot).toMatchObject({ status: 'running', maxTurns: 5 });
    expect(snapshot.events[0]).toMatchObject({ type: 'message', kind: 'opening' });
    expect(gets.filter((id) => id === snapshot.episodeId)).toEqual([]);
    // A reload reads it twice (the actor's current episode, then the snapshot's check), no more for the catch-up.
    gets.length = 0;
    expect((await request(socket, 'play:start', {})).episodeId).toBe(snapshot.episodeId);
    expect(gets.filter((id) => id === snapshot.episodeId)).toHaveLength(2);
  });
});

describe('the log of a live episode that ended on this node', () => {
  it('is not read again whole for the rating page and the rating: only what was stored after it', async () => {
    const app = await liveApp();
    const reads = recordReads(app);
    const { socket } = await bench.join(app);
    let before: EpisodeEvent[] = [];
    let lastSeq = -1;
    let reloadedStatus = '';
    const played = await playEpisode(socket, {
      rate: allThrees,
      beforeRate: async (episodeId) => {
        before = await ended(app, episodeId);
        lastSeq = before.at(-1)?.seq ?? -1;
        reads.length = 0;
        // The rating page reloaded: the same episode, from the kept log.
        reloadedStatus = (await request(socket, 'play:start', {})).status;
      },
    });
    expect(reloadedStatus).toBe('completed');
    expect(played.completionCode).toBe('CODE-DONE');
    const mine = reads.filter(([id]) => id === played.episodeId).map(([, after]) => after);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((after) => after === lastSeq)).toBe(true);
    // The rating went after the log as stored, once, with the next seq.
    const after = await app.storage.live.eventsAfter(played.episodeId, -1);
    expect(after.slice(0, -1)).toEqual(before);
    expect(after.at(-1)).toMatchObject({ type: 'actor_rated', seq: lastSeq + 1, secondsSpent: 5 });
  });

  it('still sees what another node stored after the end: a second rating is refused as already rated', async () => {
    const app = await liveApp();
    const { socket } = await bench.join(app);
    let episode = '';
    const playing = playEpisode(socket, {
      rate: allThrees,
      beforeRate: async (episodeId) => {
        episode = episodeId;
        const stored = await ended(app, episodeId);
        // Stored straight into the database, as a node the person's tab moved to would have stored it.
        const event = {
          type: 'actor_rated' as const,
          seq: (stored.at(-1)?.seq ?? -1) + 1,
          at: new Date().toISOString(),
          scores: { elsewhere: 4 },
          secondsSpent: 9,
        };
        await app.storage.live.append(episodeId, event);
      },
    });
    await expect(playing).rejects.toThrow(/episode:rate refused: conflict/);
    const rated = (await app.storage.live.eventsAfter(episode, -1)).filter((e) => e.type === 'actor_rated');
    expect(rated).toEqual([expect.objectContaining({ secondsSpent: 9 })]);
  });
});

describe('a rating sent while the episode ends', () => {
  it("is stored after the end once this node has let the episode go, not refused as another node's", async () => {
    const app = await liveApp();
    const live = app.storage.live;
    const nodes = app.storage.nodes;
    // The end is stored, then held: the node is between storing the end and letting the episode go.
    const finish = live.finish.bind(live);
    let endStored: () => void = () => undefined;
    const stored = new Promise<void>((resolve) => (endStored = resolve));
    let letGo: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (letGo = resolve));
    live.finish = async (...args) => {
      const result = await finish(...args);
      endStored();
      await held;
      return result;
    };
    // A rating on its way to storage as the episode's owner arrives after the node gave the episode up (the race at
    // 1,000 persons): its write waits until the release is stored.
    const release = nodes.releaseEpisode.bind(nodes);
    let released: () => void = () => undefined;
    const releaseStored = new Promise<void>((resolve) => (released = resolve));
    nodes.releaseEpisode = async (...args) => {
      await release(...args);
      released();
    };
    const appendOwned = live.appendOwned.bind(live);
    live.appendOwned = async (episodeId, events, owner) => {
      if (events.some((e) => e.type === 'actor_rated')) await releaseStored;
      return appendOwned(episodeId, events, owner);
    };
    const { socket } = await bench.join(app);
    let episode = '';
    let rating: Promise<{ seq: number; completionCode: string | null }> | null = null;
    const played = playEpisode(socket, {
      rate: allThrees,
      beforeRate: async (episodeId) => {
        episode = episodeId;
        await stored;
        rating = request(socket, 'episode:rate', { episodeId, ...allThrees(await criteriaOf(app, episodeId)) });
        await new Promise((r) => setTimeout(r, 100));
        letGo();
        await rating;
      },
    });
    // The actor's own rating after beforeRate is refused as already rated: the one this test sent is the rating.
    await expect(played).rejects.toThrow(/episode:rate refused: conflict/);
    const ack = await (rating as unknown as Promise<{ seq: number }>);
    const events = await live.eventsAfter(episode, -1);
    const end = events.findIndex((e) => e.type === 'episode_completed');
    expect(end).toBeGreaterThan(0);
    expect(events.slice(end + 1)).toEqual([expect.objectContaining({ type: 'actor_rated', seq: ack.seq })]);
    expect(ack.seq).toBe((events[end]?.seq ?? -1) + 1);
  });
});

/** The rubric's criteria of the episode's record, as the rating must name them. */
async function criteriaOf(app: LiveApp, episodeId: string): Promise<string[]> {
  const info = await app.storage.live.get(episodeId);
  const record = await app.storage.getRecord(info?.studyId ?? '', info?.summary.problemId ?? '');
  return record?.evaluation_rubric.evaluation_criteria.map((c) => c.preference) ?? [];
}
