import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { finalAnswerOf, transcriptOf } from '../../server/services/studies/rating-candidates.ts';
import { playEpisode } from '../support/live-actor.ts';
import { liveBench } from '../support/live-bench.ts';
import { simplePlayQueue } from '../support/simple-play-queue.ts';

const bench = liveBench();

interface CandidateRow {
  problem_id: string;
  source_episode_id: string;
  source_participant_id: string | null;
  answer: string;
  transcript_json: string | null;
}

describe("a live episode's answer", () => {
  it('goes to the raters from the log the node holds at the end, as the stored episode would give it', async () => {
    const file = bench.file();
    // No simulated twin: only the person-played answer goes to the queue here.
    const app = await bench.start(
      { queue: (storage, name) => simplePlayQueue(storage, name, { simulatedTwin: false }) },
      file,
    );
    const episodesRead: string[] = [];
    const getEpisode = app.storage.getEpisode.bind(app.storage);
    app.storage.getEpisode = (id) => {
      episodesRead.push(id);
      return getEpisode(id);
    };
    const { socket } = await bench.join(app);
    const played = await playEpisode(socket, {
      rate: (criteria) => ({ scores: Object.fromEntries(criteria.map((c) => [c, 3])), secondsSpent: 5 }),
    });
    const id = played.episodeId;
    const db = new Database(file, { readonly: true });
    try {
      const candidate = (): CandidateRow | undefined =>
        db
          .prepare(
            `SELECT problem_id, source_episode_id, source_participant_id, answer, transcript_json
            FROM rating_candidates WHERE source_episode_id = ?`,
          )
          .get(id) as CandidateRow | undefined;
      await expect.poll(candidate).toBeDefined();
      const stored = await app.storage.live.eventsAfter(id, -1);
      const info = await app.storage.live.get(id);
      expect(candidate()).toEqual({
        problem_id: info?.summary.problemId,
        source_episode_id: id,
        source_participant_id: info?.participantId,
        answer: finalAnswerOf(stored),
        transcript_json: JSON.stringify(transcriptOf(stored)),
      });
      expect(candidate()?.answer.length).toBeGreaterThan(0);
      // Not read back from storage to make it.
      expect(episodesRead).not.toContain(id);
    } finally {
      db.close();
    }
  });
});
