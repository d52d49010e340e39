/**
 * What the agreement report is computed from: plain arrays gathered from the database (gather.ts) or synthesized (the
 * benchmark). The statistics never touch storage, so the same data always gives the same report.
 */

export interface CriterionInfo {
  /** The rubric criterion's `preference`, which names a hidden preference of the record. */
  preference: string;
  /** The rubric weight, or 1/N when the rubric leaves it out (as the judge weighs it). */
  weight: number;
  /** The preference's type: `expertise`, `personal`, or whatever else the record says. */
  type: string;
}

export interface RecordInfo {
  problemId: string;
  personaId: string;
  /** 18–25, 26–35, …, 66–75, or `unknown` when the persona has no age. */
  ageBand: string;
  /** The persona's Big Five scores (1–5) by trait name, where the persona has them: columns of the plots' heatmaps. */
  traits?: Record<string, number>;
  criteria: CriterionInfo[];
  /** Every hidden preference: the persona's true value (what a correct disclosure reveals) and its type. */
  preferences: Record<string, { value: string | number; type: string }>;
}

/** A rated answer: every rater's scores and the judge's, on the record's criteria in rubric order. */
export interface RatedItem {
  itemId: string;
  problemId: string;
  personaId: string;
  sourceEpisodeId: string;
  /** The model under test that wrote the answer (from the episode's provenance). */
  model: string | null;
  raters: string[];
  /** raters × criteria, 1–5; null where a rating lacks a criterion. */
  scores: (number | null)[][];
  /** Per rater: was the answer correct. */
  correct: (0 | 1)[];
  /** Per criterion: the judge's score (criterion_judged), null when it could not score. */
  judge: (number | null)[];
  judgeWeighted: number | null;
  judgeCorrect: 0 | 1 | null;
  /** The actor's own rating of the answer, when a person played the episode and rated it (actor_rated). */
  self: { scores: (number | null)[]; correct: 0 | 1 | null } | null;
}

export interface DisclosureLabel {
  asked: string[];
  revealed: { preference: string; value: string }[];
}

/** One question the model asked in a live episode: the person's reply labels and the twin's, when both exist. */
export interface LiveTurn {
  turn: number;
  human: DisclosureLabel | null;
  twin: DisclosureLabel | null;
}

/** A person-played (live) or simulator-played (twin) discovery episode, reduced to what the report compares. */
export interface PlayedEpisode {
  episodeId: string;
  problemId: string;
  personaId: string;
  model: string;
  /** PrefAlign by the judge; null unless the episode completed. */
  weightedScore: number | null;
  /** Questions the user answered; null unless the episode completed. */
  turns: number | null;
  /** Words in each user reply. */
  replyWords: number[];
  /** Per labeled reply: preferences revealed that the question did not ask about. */
  unprompted: number[];
}

export interface LiveEpisode extends PlayedEpisode {
  turnLabels: LiveTurn[];
}

export interface TwinEpisode extends PlayedEpisode {
  liveEpisodeId: string;
}

/** A generic (no_prompt) batch answer's score for a record × model. */
export interface Baseline {
  problemId: string;
  model: string;
  weightedScore: number;
}

/** Distinct values found in the provenance of the episodes the report used. */
export interface ProvenanceSets {
  models: string[];
  judgeModels: string[];
  simulatorModels: string[];
  promptHashes: string[];
  rubricHashes: string[];
  appVersions: string[];
  /** Models (any seat) that are the offline test model: the report then says its numbers are not research results. */
  testModels: string[];
}

export interface AgreementData {
  records: RecordInfo[];
  items: RatedItem[];
  live: LiveEpisode[];
  twins: TwinEpisode[];
  baselines: Baseline[];
  provenance: ProvenanceSets;
}
