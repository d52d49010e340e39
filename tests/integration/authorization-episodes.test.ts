import { beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import type { Ack } from '../../shared/protocol/acks.ts';
import type { PlaySnapshot, ResyncResult } from '../../shared/protocol/live.ts';
import { MODES, USER_TYPES } from '../../shared/schemas/evaluation.ts';
import type { BlindRatingItem } from '../../shared/schemas/live-study.ts';
import { deepScan, type Forbidden } from '../support/blind-scan.ts';
import { request, until, type LiveApp, type TestSocket } from '../support/live-app.ts';
import { liveBench } from '../support/live-bench.ts';
import { simplePlayQueue } from '../support/simple-play-queue.ts';
import { studyWithRecords } from '../support/study-work-fixtures.ts';
import { signInResearcher } from '../support/auth-helpers.ts';

/**
 * Object-level authorization of live play (docs/security.md, Authorization audit): a participant — of the same study
 * or of another one — can neither read nor act on someone else's episode, over any request that names an episode, and
 * receives none of its broadcasts; a rater cannot submit for an item leased to someone else; and the blinded item a
 * rater gets for a live answer names no model, condition, episode or time.
 */
const bench = liveBench('all');
let live: LiveApp;
let otherStudyId = '';
let owner: { socket: TestSocket; episodeId: string; cookie: string };
const intruders: Record<string, { socket: TestSocket; cookie: string; seen: string[] }> = {};
let researcherCookie = '';

async function pollAwaiting(socket: TestSocket, episodeId: string): Promise<ResyncResult> {
  for (let i = 0; i < 500; i++) {
    const sync = await request(socket, 'episode:resync', { episodeId, afterSeq: -1 });
    if (sync.awaitingTurn !== null || sync.status !== 'running') return sync;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the model never asked');
}

async function ack(socket: TestSocket, event: string, payload: unknown): Promise<Ack<unknown>> {
  return (await (socket as unknown as Socket).timeout(5000).emitWithAck(event, payload)) as Ack<unknown>;
}

beforeAll(async () => {
  live = await bench.start({
    queue: (storage, model) => simplePlayQueue(storage, model, { idleTimeoutSeconds: 3600 }),
  });
  otherStudyId = (await studyWithRecords(live.storage, 'Another study', 2)).studyId;
  researcherCookie = (await signInResearcher(live)).cookie;
  const joined = await bench.join(live, { pid: 'owner' });
  const snapshot: PlaySnapshot = await request(joined.socket, 'play:start', {});
  owner = { ...joined, episodeId: snapshot.episodeId };
  await pollAwaiting(owner.socket, owner.episodeId);

  const people = {
    sameStudyActor: await bench.join(live, { role: 'actor', pid: 'same-actor' }),
    sameStudyRater: await bench.join(live, { role: 'rater', pid: 'same-rater' }),
    otherStudyActor: await bench.join(live, { role: 'actor', studyId: otherStudyId, pid: 'other-actor' }),
    otherStudyRater: await bench.join(live, { role: 'rater', studyId: otherStudyId, pid: 'other-rater' }),
  };
  for (const [name, { socket, cookie }] of Object.entries(people)) {
    const seen: string[] = [];
    socket.on('episode:appended', ({ episodeId }) => seen.push(episodeId));
    socket.on('episode:chunked', ({ episodeId }) => seen.push(episodeId));
    intruders[name] = { socket, cookie, seen };
  }
}, 30_000);

describe("another participant's episode", () => {
  it('is not found for other actors (same study or another) on reply, resync, tag and rate; forbidden to raters; watch is for researchers', async () => {
    const before = await live.storage.live.eventsAfter(owner.episodeId, -1);
    const scores = { anything: 3 };
    const payloads: Record<string, unknown> = {
      'episode:reply': { episodeId: owner.episodeId, clientMessageId: 'intruder-1', text: 'I am not the owner.' },
      'episode:resync': { episodeId: owner.episodeId, afterSeq: -1 },
      'episode:tag': { episodeId: owner.episodeId, turn: 0, tag: 'redundant' },
      'episode:rate': { episodeId: owner.episodeId, scores, correct: 1, secondsSpent: 3 },
      'episode:watch': { episodeId: owner.episodeId },
    };
    for (const [name, intruder] of Object.entries(intruders)) {
      for (const [event, payload] of Object.entries(payloads)) {
        const answer = await ack(intruder.socket, event, payload);
        // The same answer for "no such episode" and "not yours", so episode ids cannot be probed.
        const expected = event === 'episode:watch' || name.endsWith('Rater') ? 'forbidden' : 'not_found';
        expect(answer, `${event} as ${name}`).toMatchObject({ ok: false, error: expected });
      }
      // Nor over HTTP: the full log is a researcher's route.
      const res = await live.app.inject({
        method: 'GET',
        url: `/api/episodes/${owner.episodeId}`,
        headers: { cookie: intruder.cookie },
      });
      expect(res.statusCode, name).toBe(403);
    }
    // Nothing they sent was stored.
    expect(await live.storage.live.eventsAfter(owner.episodeId, -1)).toEqual(before);
    // The researcher may watch it.
    const researcher = await bench.connect(live, researcherCookie);
    try {
      expect(await ack(researcher, 'episode:watch', { episodeId: owner.episodeId })).toMatchObject({ ok: true });
    } finally {
      researcher.close();
    }
  });

  it("never delivers the episode's broadcasts to them, while the owner gets them", async () => {
    let ownerSaw = 0;
    owner.socket.on('episode:appended', ({ episodeId }) => {
      if (episodeId === owner.episodeId) ownerSaw += 1;
    });
    const turn = (await pollAwaiting(owner.socket, owner.episodeId)).awaitingTurn;
    expect(turn).not.toBeNull();
    await request(owner.socket, 'episode:reply', {
      episodeId: owner.episodeId,
      clientMessageId: 'owner-1',
      text: 'I like pictures.',
    });
    // The owner sees their reply and the model's next turn arrive …
    await until(() => ownerSaw >= 2, 10_000, 'the owner to see the next turn');
    // … and nobody else receives a single event or chunk of it.
    for (const [name, intruder] of Object.entries(intruders))
      expect(
        intruder.seen.filter((id) => id === owner.episodeId),
        name,
      ).toEqual([]);
  });

  it("an actor of another study starts an episode of their own study, never this one's", async () => {
    const other = intruders.otherStudyActor;
    if (!other) throw new Error('no other-study actor');
    const snapshot: PlaySnapshot = await request(other.socket, 'play:start', {});
    expect(snapshot.episodeId).not.toBe(owner.episodeId);
    expect((await live.storage.live.get(snapshot.episodeId))?.studyId).toBe(otherStudyId);
  });
});

describe("another rater's item", () => {
  it('cannot be submitted by a rater of the same study or of another study', async () => {
    const studyId = live.studyId;
    const put = async (method: 'PUT' | 'POST', url: string, payload?: object) =>
      (await live.app.inject({ method, url, headers: { cookie: researcherCookie }, ...(payload ? { payload } : {}) }))
        .statusCode;
    const record = await live.storage.getRecord(
      studyId,
      (await live.storage.listRecords(studyId, { offset: 0, limit: 1 })).items[0]?.problemId ?? '',
    );
    const criteria = record?.evaluation_rubric.evaluation_criteria.map((c) => c.preference) ?? [];
    expect(
      await put('PUT', `/api/studies/${studyId}/settings`, { models: ['scripted'], goldRate: 1, raterOverlap: 5 }),
    ).toBe(200);
    expect(
      await put('POST', `/api/studies/${studyId}/gold-items`, {
        items: [
          {
            problemId: record?.problem_id,
            answer: 'Gold.',
            expectedScores: Object.fromEntries(criteria.map((c) => [c, 1])),
          },
        ],
      }),
    ).toBe(200);
    expect(await put('POST', `/api/studies/${studyId}/open`)).toBe(200);
    // Study B takes ratings too, so its rater is refused for the item's owner, not for a closed study.
    expect(await put('PUT', `/api/studies/${otherStudyId}/settings`, { models: ['scripted'] })).toBe(200);
    expect(await put('POST', `/api/studies/${otherStudyId}/open`)).toBe(200);

    const holder = (await bench.join(live, { role: 'rater', studyId, pid: 'holder' })).socket;
    try {
      const item: BlindRatingItem = await request(holder, 'rating:next', {});
      const submit = {
        itemId: item.itemId,
        scores: Object.fromEntries(criteria.map((c) => [c, 2])),
        correct: 1,
        secondsSpent: 9,
      };
      const before = (await live.storage.work.progress(studyId, new Date())).candidates;
      for (const name of ['sameStudyRater', 'otherStudyRater']) {
        expect(await ack(intruders[name]?.socket as TestSocket, 'rating:submit', submit), name).toMatchObject({
          ok: false,
          error: 'not_found',
        });
      }
      // Compared item by item: a simulated twin finishing on the research worker meanwhile may add a candidate of its
      // own, which is no intruder's doing.
      const after = new Map(
        (await live.storage.work.progress(studyId, new Date())).candidates.map((c) => [c.itemId, c] as const),
      );
      expect(before.map((c) => after.get(c.itemId))).toEqual(before);
      // The holder can.
      expect(await ack(holder, 'rating:submit', submit)).toMatchObject({ ok: true });
    } finally {
      holder.close();
    }
  });
});

describe('blinding of a live answer', () => {
  it('the items a rater gets for a live episode and its simulated twin name no model, episode, run or time', async () => {
    // The owner plays to the end; their answer and its simulated twin become rating candidates of the study.
    for (let i = 0; i < 10; i++) {
      const sync = await pollAwaiting(owner.socket, owner.episodeId);
      if (sync.status !== 'running') break;
      await request(owner.socket, 'episode:reply', {
        episodeId: owner.episodeId,
        clientMessageId: `owner-end-${i}`,
        text: `Reply ${i}.`,
      });
    }
    let twins: string[] = [];
    let sources = 0;
    for (let i = 0; i < 250 && sources < 2; i++) {
      twins = await live.storage.live.twinsOf(owner.episodeId);
      sources = (await live.storage.work.progress(live.studyId, new Date())).candidates.filter((c) => !c.isGold).length;
      if (sources < 2) await new Promise((r) => setTimeout(r, 20));
    }
    expect(sources).toBe(2);
    const rater = (await bench.join(live, { role: 'rater', pid: 'blind-rater' })).socket;
    const received: unknown[] = [];
    try {
      for (let i = 0; i < 10; i++) {
        const next = await ack(rater, 'rating:next', {});
        received.push(next);
        if (!next.ok) break;
        const item = next.data as BlindRatingItem;
        received.push(
          await ack(rater, 'rating:submit', {
            itemId: item.itemId,
            scores: Object.fromEntries(item.rubric.map((c) => [c.preference, 3])),
            correct: 1,
            secondsSpent: 5,
          }),
        );
      }
    } finally {
      rater.close();
    }
    const items = received.flatMap((r) =>
      (r as Ack<BlindRatingItem>).ok && 'answer' in (r as { data: object }).data
        ? [(r as { data: BlindRatingItem }).data]
        : [],
    );
    // The gold item, the live answer and the twin's answer.
    expect(items.length).toBe(3);
    const forbidden: Forbidden = {
      // Record text may use everyday words ("person", "passive"), so words are the condition names only.
      words: [...MODES, ...USER_TYPES.filter((u) => u.includes('_'))],
      exact: ['scripted', owner.episodeId, ...twins, '###'],
      patterns: [/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/],
      keys: [
        'model',
        'models',
        'mode',
        'condition',
        'userType',
        'user_type',
        'userSeat',
        'episodeId',
        'runId',
        'sourceEpisodeId',
        'participantId',
        'startedAt',
        'endedAt',
        'at',
        'thought',
        'isGold',
        'gold',
      ],
    };
    expect(deepScan(received, forbidden).map((h) => `${h.path}: ${h.what} in ${h.text.slice(0, 80)}`)).toEqual([]);
  });
});
