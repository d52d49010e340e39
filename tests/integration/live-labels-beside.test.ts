import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { EpisodeEvent } from '../../shared/schemas/episode.ts';
import { SCRIPTED_MODEL } from '../../server/models/model-registry.ts';
import {
  ModelCallError,
  type ModelProvider,
  type ModelRequest,
  type ModelResponse,
} from '../../server/models/model-provider.ts';
import { ScriptedProvider } from '../../server/models/scripted/scripted-provider.ts';
import { liveBench } from '../support/live-bench.ts';
import { ActorClient, playEpisode } from '../support/live-actor.ts';
import { request, until } from '../support/live-app.ts';
import { simplePlayQueue } from '../support/simple-play-queue.ts';

/**
 * The labeler serves research, not the person: in live play its call runs beside the model's next turn, so the
 * person's next question never waits for it. These tests hold every labeler call for a while and read the stored
 * order: the next question is stored before the label of the reply it follows, and every label before the final prompt.
 */

const LABEL_HOLD_MS = 600;

/** The scripted model, with the calls of some purposes held back for `holdMs` (or until cancelled). */
class SlowLabeler implements ModelProvider {
  readonly isTestModel = true;
  readonly config = SCRIPTED_MODEL;
  private readonly inner = new ScriptedProvider(SCRIPTED_MODEL);
  labelCalls = 0;
  constructor(
    private readonly holdMs = LABEL_HOLD_MS,
    private readonly held: readonly ModelRequest['purpose'][] = ['disclosure_labeler'],
  ) {}
  async complete(request: ModelRequest): Promise<ModelResponse> {
    if (request.purpose === 'disclosure_labeler') this.labelCalls += 1;
    if (this.held.includes(request.purpose)) {
      await sleep(this.holdMs, undefined, request.signal ? { signal: request.signal } : {}).catch(() => undefined);
      if (request.signal?.aborted) throw new ModelCallError('aborted', 'call aborted', 1);
    }
    return this.inner.complete(request);
  }
}

const bench = liveBench();

function seqOf(events: EpisodeEvent[], match: (e: EpisodeEvent) => boolean): number {
  const found = events.find(match);
  if (!found) throw new Error('event not stored');
  return found.seq;
}

describe('the labeler in live play', () => {
  it('runs beside the next turn: the next question is stored before the previous reply is labeled, every label before the final prompt', async () => {
    const model = new SlowLabeler();
    const app = await bench.start({ queue: (storage, name) => simplePlayQueue(storage, name), model });
    const { socket } = await bench.join(app);
    const played = await playEpisode(socket, {
      rate: (criteria) => ({ scores: Object.fromEntries(criteria.map((c) => [c, 3])), secondsSpent: 5 }),
    });
    expect(played.answered).toBeGreaterThanOrEqual(2);
    let events: EpisodeEvent[] = [];
    for (let i = 0; i < 200; i++) {
      events = await app.storage.live.eventsAfter(played.episodeId, -1);
      if (events.some((e) => e.type === 'episode_completed')) break;
      await sleep(25);
    }
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
    const finalPrompt = seqOf(events, (e) => e.type === 'message' && e.kind === 'final_prompt');
    const replies = events.filter((e) => e.type === 'message' && e.kind === 'reply');
    expect(replies.length).toBeGreaterThanOrEqual(2);
    for (const reply of replies) {
      const turn = reply.type === 'message' ? reply.turn : -1;
      const label = seqOf(events, (e) => e.type === 'disclosure_labeled' && e.turn === turn);
      // The model's next turn (a question or the answer) did not wait for the held label.
      const next = seqOf(events, (e) => e.type === 'message' && e.role === 'assistant' && e.turn === turn + 1);
      expect(next, `turn ${turn}: the next model turn is stored before the label`).toBeLessThan(label);
      expect(label, `turn ${turn}: labeled before the final prompt`).toBeLessThan(finalPrompt);
    }
    // One label per reply, none twice; the judgments come after every label.
    const labels = events.filter((e) => e.type === 'disclosure_labeled');
    expect(labels.map((e) => (e.type === 'disclosure_labeled' ? e.turn : -1)).sort()).toEqual(
      replies.map((e) => (e.type === 'message' ? e.turn : -1)).sort(),
    );
    const firstJudged = seqOf(events, (e) => e.type === 'criterion_judged');
    expect(Math.max(...labels.map((e) => e.seq))).toBeLessThan(firstJudged);
    expect(model.labelCalls).toBeGreaterThanOrEqual(replies.length);
  });

  it('a restart between a reply and its label and twin reply: both are made after the restart, once each', async () => {
    const file = bench.file('relabel');
    const queue = {
      queue: (storage: Parameters<typeof simplePlayQueue>[0], name: string) => simplePlayQueue(storage, name),
    };
    // The first process never gets a label or a twin reply back: it stops while they are asked.
    const first = await bench.start(
      { ...queue, model: new SlowLabeler(60_000, ['disclosure_labeler', 'simulated_user']) },
      file,
    );
    const { cookie, socket } = await bench.join(first, { pid: 'pid-relabel' });
    const a = new ActorClient(socket);
    const snapshot = await request(a.socket, 'play:start', {});
    await until(() => a.questions().length === 1, 5000, 'first question');
    await request(a.socket, 'episode:reply', {
      episodeId: snapshot.episodeId,
      clientMessageId: 'r0',
      text: 'I keep bees.',
    });
    await until(() => a.questions().length === 2, 5000, 'second question');
    a.socket.close();
    await first.close();
    const stored = new Database(file, { readonly: true });
    const before = stored
      .prepare("SELECT type FROM episode_events WHERE episode_id = ? AND type IN ('disclosure_labeled', 'twin_reply')")
      .all(snapshot.episodeId);
    stored.close();
    expect(before).toEqual([]);

    const second = await bench.start({ ...queue, model: new SlowLabeler(0) }, file);
    await bench.connect(second, cookie);
    let events: EpisodeEvent[] = [];
    for (let i = 0; i < 200; i++) {
      events = await second.storage.live.eventsAfter(snapshot.episodeId, -1);
      const turn0 = (type: string): boolean => events.some((e) => e.type === type && 'turn' in e && e.turn === 0);
      if (turn0('disclosure_labeled') && turn0('twin_reply')) break;
      await sleep(25);
    }
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
    const ofTurn0 = events.filter((e) => (e.type === 'disclosure_labeled' || e.type === 'twin_reply') && e.turn === 0);
    expect(ofTurn0.map((e) => e.type).sort()).toEqual(['disclosure_labeled', 'twin_reply']);
    const twin = ofTurn0.find((e) => e.type === 'twin_reply');
    expect(twin && twin.type === 'twin_reply' ? twin.response : '').not.toBe('');
  });
});
