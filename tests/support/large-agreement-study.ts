import { AppError } from '../../shared/errors.ts';
import { createStudyWork } from '../../server/services/studies/study-work-service.ts';
import { buildAgreementStudy, C1, C2, type PlaySpec } from './agreement-study.ts';
import { joinAs, type AppUnderTest } from './auth-helpers.ts';

/**
 * An agreement study large enough that its report takes seconds of CPU: `items` person-played answers (each with a
 * twin), every one rated by two raters through the real rating service. The first ten are rated by the two raters of
 * buildAgreementStudy (its quota is ten ratings each); the rest by further raters, ten each. Scores vary with the
 * answer's number so every statistic has spread to resample.
 */
export async function buildLargeAgreementStudy(t: AppUnderTest, dir: string, items: number): Promise<string> {
  const live: PlaySpec[] = Array.from({ length: items }, (_, i) => ({
    id: `L${i}`,
    record: i % 3,
    model: i % 4 === 0 ? 'model-b' : 'model-a',
    score: 1 + (i % 5),
    judge: [1 + (i % 5), 1 + ((i * 3) % 5), (i % 2) as 0 | 1],
    self: [1 + (i % 4), 1 + ((i * 2) % 5)],
    turns: [
      {
        reply: `about ${i % 5}`,
        human: { asked: [C1], revealed: [{ preference: C1, value: String(1 + (i % 5)) }] },
        twin: { asked: [C1], revealed: i % 3 === 0 ? [] : [{ preference: C1, value: String(1 + (i % 4)) }] },
      },
    ],
  }));
  const first = Object.fromEntries(
    live.slice(0, 10).map((l, i): [string, [number, number, 0 | 1][]] => [
      l.id,
      [
        [1 + (i % 5), 1 + ((i * 2) % 5), 1],
        [1 + ((i + 1) % 5), 1 + ((i * 3) % 5), 0],
      ],
    ]),
  );
  const { studyId } = await buildAgreementStudy(t, dir, {
    live,
    twins: live.map((l, i) => ({ id: `T${i}`, of: l.id, score: 1 + ((i * 2) % 5), turns: [] })),
    baselines: [],
    ratings: first,
  });
  const work = createStudyWork({ storage: t.storage, isDeclaredModel: () => true, rng: () => 0.999 });
  await work.addRatingCandidates(
    studyId,
    live.slice(10).map((l) => l.id),
  );
  // Two ratings for each remaining answer, at most ten per rater: the queue hands each rater answers it has not rated,
  // and says no_work once this rater has rated all it can.
  let ratings = 0;
  const wanted = (items - 10) * 2;
  while (ratings < wanted) {
    const rater = { participantId: (await joinAs(t, 'rater', { studyId })).participantId, studyId };
    const before = ratings;
    for (let k = 0; k < 10 && ratings < wanted; k++) {
      const item = await work.nextRating(rater).catch((error: unknown) => {
        if (error instanceof AppError && error.code === 'no_work') return null;
        throw error;
      });
      if (!item) break;
      await work.submitRating(rater, {
        itemId: item.itemId,
        scores: { [C1]: 1 + ((ratings * 7) % 5), [C2]: 1 + ((ratings * 3) % 5) },
        correct: (ratings % 2) as 0 | 1,
        secondsSpent: 30,
      });
      ratings++;
    }
    if (ratings === before) throw new Error(`a fresh rater got no work with ${wanted - ratings} ratings to go`);
  }
  return studyId;
}
