import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { EpisodeEvent } from '../../shared/schemas/episode.ts';
import { SCRIPTED_MODEL } from '../../server/models/model-registry.ts';
import type { ModelProvider, ModelRequest, ModelResponse } from '../../server/models/model-provider.ts';
import { ScriptedProvider } from '../../server/models/scripted/scripted-provider.ts';
import { liveBench } from '../support/live-bench.ts';
import { playEpisode } from '../support/live-actor.ts';
import { simplePlayQueue } from '../support/simple-play-queue.ts';

/**
 * The labeler serves research, not the person: in live play its call runs beside the model's next turn, so the
 * person's next question never waits for it. These tests hold every labeler call for a while and read the stored
 * order: the next question is stored before the label of the reply it follows, and every label before the final prompt.
 */

const LABEL_HOLD_MS = 600;

/** The scripted model, with the disclosure labeler's calls held back (the twin's labels too). */
class SlowLabeler implements ModelProvider {
  readonly isTestModel = true;
  readonly config = SCRIPTED_MODEL;
  private readonly inner = new ScriptedProvider(SCRIPTED_MODEL);
  labelCalls = 0;
  async complete(request: ModelRequest): Promise<ModelResponse> {
    if (request.purpose === 'disclosure_labeler') {
      this.labelCalls += 1;
      await sleep(LABEL_HOLD_MS, undefined, request.signal ? { signal: request.signal } : {}).catch(() => undefined);
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
});
