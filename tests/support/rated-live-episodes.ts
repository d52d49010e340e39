import { C1, C2, type PlaySpec, type Turn } from './agreement-study.ts';

/**
 * The hand-chosen rated part of the agreement study (tests/support/agreement-study.ts), shared by the tests that
 * build it: live episodes L0–L2 with their judge verdicts and self-ratings, and two raters' ratings of them. The
 * agreement report test computes every statistic of these numbers by hand, so they change only together with it.
 *
 *            C1: f  A  B     C2: f  A  B     correct: judge  A  B     self (actor): C1 C2
 *   item 0       4  4  5         2  3  3              1      1  1                  5  2
 *   item 1       2  2  2         5  3  3              1      0  0                  2  4
 *   item 2       1  3  2         3  3  4              0      0  0                  3  3
 */

type Labels = [asked: string[], revealed: [string, string][]];

const label = ([asked, revealed]: Labels): NonNullable<Turn['twin']> => ({
  asked,
  revealed: revealed.map(([preference, value]) => ({ preference, value })),
});

/** A turn: the person's reply, what the labeler found in it, and (for a live episode) what the twin revealed. */
export const turn = (reply: string, human: Labels, twin?: Labels): Turn => ({
  reply,
  human: label(human),
  ...(twin ? { twin: label(twin) } : {}),
});

/** Live episodes L0–L2 on records 0–2 with model-a; L0's turns are the caller's (what its actor said). */
export function ratedLive(l0Turns: Turn[]): PlaySpec[] {
  return [
    { id: 'L0', record: 0, model: 'model-a', score: 3, judge: [4, 2, 1], self: [5, 2], turns: l0Turns },
    {
      id: 'L1',
      record: 1,
      model: 'model-a',
      score: 3.5,
      judge: [2, 5, 1],
      self: [2, 4],
      turns: [turn('No idea', [[C2], []], [[C2], [[C1, '4']]])],
    },
    {
      id: 'L2',
      record: 2,
      model: 'model-a',
      score: 2,
      judge: [1, 3, 0],
      self: [3, 3],
      turns: [turn('High level please', [[C2], [[C2, 'High']]], [[C2], [[C2, 'high']]])],
    },
  ];
}

/** Raters A and B on L0–L2: [C1, C2, correct]. */
export const RATINGS: Record<string, [number, number, 0 | 1][]> = {
  L0: [
    [4, 3, 1],
    [5, 3, 1],
  ],
  L1: [
    [2, 3, 0],
    [2, 3, 0],
  ],
  L2: [
    [3, 3, 0],
    [2, 4, 0],
  ],
};
