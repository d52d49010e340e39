import { z } from 'zod';

/**
 * The agreement report of a study (docs/agreement-report.md): is the simulated user like a person, and is the judge
 * like a rater, with the human–human ceiling beside every number. Shared by the HTTP API, the CLI and the browser.
 */

/** Settings that change the numbers; they are part of the report and of its hash. */
export const AgreementSettingsSchema = z.object({
  /** The Alt-Test's cost–benefit margin ε (crowd workers: 0.1 in the paper). */
  epsilon: z.coerce.number().min(0).max(1).default(0.1),
  resamples: z.coerce.number().int().min(1).max(10_000).default(1000),
  seed: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(42),
});
export type AgreementSettings = z.infer<typeof AgreementSettingsSchema>;

export const AGREEMENT_TABLES = [
  'judge_vs_humans',
  'self_ratings',
  'disclosure',
  'outcomes',
  'behaviour',
  'slices',
  'disagreements',
] as const;
export type AgreementTable = (typeof AGREEMENT_TABLES)[number];

/** `GET /api/studies/:studyId/agreement/:file`, file = `<table>.<csv|jsonl>`. */
export const AgreementFileSchema = z
  .string()
  .regex(
    new RegExp(`^(${AGREEMENT_TABLES.join('|')})\\.(csv|jsonl)$`),
    `expected one of ${AGREEMENT_TABLES.join(', ')}, then .csv or .jsonl`,
  )
  .transform((file) => {
    const [table, format] = file.split('.') as [AgreementTable, 'csv' | 'jsonl'];
    return { table, format };
  });

/** A percentile bootstrap interval; `unit` is what was resampled (a persona's items stay together when they share it). */
export const IntervalSchema = z.object({
  low: z.number().nullable(),
  high: z.number().nullable(),
  level: z.number(),
  unit: z.enum(['item', 'persona']),
  clusters: z.number().int(),
  validResamples: z.number().int(),
  reason: z.string().optional(),
});
export type Interval = z.infer<typeof IntervalSchema>;

/** A statistic (`StatResult`: a value and its n, or no value and why) with its interval when it has one. */
export const EstimateSchema = z.object({
  value: z.number().nullable(),
  n: z.number().int(),
  reason: z.string().optional(),
  ci: IntervalSchema.nullable(),
});
export type Estimate = z.infer<typeof EstimateSchema>;

export const AltTestSummarySchema = z.object({
  epsilon: z.number(),
  /** ω: share of human raters the judge "beats" (BY-corrected one-sided tests). */
  winningRate: z.number().nullable(),
  /** ρ: mean over raters of the judge's advantage probability. */
  advantageProbability: z.number().nullable(),
  passed: z.boolean(),
  items: z.number().int(),
  annotatorsTested: z.number().int(),
  annotatorsExcluded: z.number().int(),
  reason: z.string().optional(),
});

/** One criterion (or the weighted score, criterion `*weighted*`) of judge vs humans. */
export const JudgeHumanRowSchema = z.object({
  criterion: z.string(),
  items: z.number().int(),
  ratings: z.number().int(),
  kappaVsRaters: EstimateSchema,
  kappaVsMedian: EstimateSchema,
  alphaHumans: EstimateSchema,
  alphaWithJudge: EstimateSchema,
  spearman: EstimateSchema,
  mae: EstimateSchema,
  /** Leave-one-out: each rater vs the others (the ceiling), and the judge vs the same others. */
  ceiling: z.object({
    humanMae: EstimateSchema,
    judgeMae: EstimateSchema,
    humanExact: EstimateSchema,
    judgeExact: EstimateSchema,
  }),
  altTest: AltTestSummarySchema,
});
export type JudgeHumanRow = z.infer<typeof JudgeHumanRowSchema>;

export const ComparisonSchema = z.object({
  comparison: z.string(),
  mae: EstimateSchema,
  spearman: EstimateSchema,
  kappaW: EstimateSchema,
});

export const DisclosureRowSchema = z.object({
  scope: z.enum(['overall', 'preference', 'preference_type']),
  value: z.string(),
  kappa: EstimateSchema,
  agreement: EstimateSchema,
});

export const BehaviourRowSchema = z.object({
  measure: z.enum(['turns', 'words_per_reply', 'unprompted_disclosures']),
  humanMean: z.number().nullable(),
  humanN: z.number().int(),
  simulatorMean: z.number().nullable(),
  simulatorN: z.number().int(),
  ks: z.object({
    value: z.number().nullable(),
    n: z.number().int(),
    reason: z.string().optional(),
    pValue: z.number().nullable(),
  }),
});

export const SliceRowSchema = z.object({
  dimension: z.enum(['criterion', 'preference_type', 'age_band']),
  value: z.string(),
  kappaW: EstimateSchema,
  mae: EstimateSchema,
});

export const DisagreementSchema = z.object({
  itemId: z.string(),
  problemId: z.string(),
  criterion: z.string(),
  kind: z.enum(['score', 'correctness']),
  judge: z.number().nullable(),
  humanMedian: z.number().nullable(),
  humanScores: z.array(z.number()),
});

const Count = z.number().int();
/** One heatmap: rows (criteria or preference types) × the values of one persona attribute; cells are judge–rater MAE. */
export const HeatmapSchema = z.object({
  attribute: z.string(),
  rowsBy: z.enum(['criterion', 'preference_type']),
  columns: z.array(z.string()),
  rows: z.array(
    z.object({ label: z.string(), n: Count, cells: z.array(z.object({ mae: z.number().nullable(), n: Count })) }),
  ),
  /** Rows left out to keep the plot readable (the least-rated ones). */
  omittedRows: Count,
});
export type Heatmap = z.infer<typeof HeatmapSchema>;

/** The data behind the dashboard's plots: counts and points, no resampling (the tables carry the intervals). */
export const AgreementPlotsSchema = z.object({
  /** (answer, criterion) units by the judge's score and the raters' mean score (2 decimals): a bubble scatter. */
  judgeVsHuman: z.array(z.object({ judge: z.number(), human: z.number(), n: Count })),
  /** One point per rated answer, weighted score: judge vs the raters' mean; at most 2,000, evenly spaced, of `total`. */
  weighted: z.object({ total: Count, points: z.array(z.object({ judge: z.number(), human: z.number() })) }),
  heatmaps: z.array(HeatmapSchema),
  /** Outcome pairs (record × model): the mean and the difference (person − simulator) of PrefAlign. */
  blandAltman: z.array(z.object({ mean: z.number(), difference: z.number(), model: z.string() })),
});
export type AgreementPlots = z.infer<typeof AgreementPlotsSchema>;

const StatSchema = z.object({ value: z.number().nullable(), n: z.number().int(), reason: z.string().optional() });

export const AgreementReportSchema = z.object({
  studyId: z.string(),
  studyName: z.string(),
  generatedAt: z.string(),
  settings: z.object({ epsilon: z.number(), resamples: z.number().int(), seed: z.number().int(), level: z.number() }),
  counts: z.object({
    ratedItems: z.number().int(),
    ratings: z.number().int(),
    raters: z.number().int(),
    liveEpisodes: z.number().int(),
    twinEpisodes: z.number().int(),
    baselineEpisodes: z.number().int(),
  }),
  judgeVsHumans: z.object({ rows: z.array(JudgeHumanRowSchema), correctnessKappa: EstimateSchema }),
  selfRatings: z.object({ items: z.number().int(), comparisons: z.array(ComparisonSchema) }),
  disclosure: z.object({
    units: z.number().int(),
    rows: z.array(DisclosureRowSchema),
    /** Both revealed the preference: share of units where they revealed the same value. */
    revealedValueAgreement: EstimateSchema,
    /** human category × simulator category counts, in the order of `categories`. */
    categories: z.array(z.string()),
    confusion: z.array(z.array(z.number().int())),
  }),
  outcomes: z.object({
    pairs: z.number().int(),
    pearson: EstimateSchema,
    spearman: EstimateSchema,
    blandAltman: z.object({
      n: z.number().int(),
      meanDifference: z.number().nullable(),
      sdDifference: z.number().nullable(),
      lower: z.number().nullable(),
      upper: z.number().nullable(),
      reason: z.string().optional(),
    }),
    models: z.array(
      z.object({
        model: z.string(),
        human: z.number().nullable(),
        simulator: z.number().nullable(),
        n: z.number().int(),
      }),
    ),
    modelRankingTau: StatSchema,
    worseThanGeneric: z.object({ human: EstimateSchema, simulator: EstimateSchema }),
  }),
  behaviour: z.object({ rows: z.array(BehaviourRowSchema) }),
  slices: z.object({ rows: z.array(SliceRowSchema) }),
  disagreements: z.array(DisagreementSchema),
  plots: AgreementPlotsSchema,
  provenance: z.object({
    itemIds: z.array(z.string()),
    models: z.array(z.string()),
    judgeModels: z.array(z.string()),
    simulatorModels: z.array(z.string()),
    promptHashes: z.array(z.string()),
    rubricHashes: z.array(z.string()),
    appVersions: z.array(z.string()),
    /** Models (under test, judge or simulator) that are the offline test model: demo numbers, not research results. */
    testModels: z.array(z.string()),
  }),
  /** SHA-256 of the canonical JSON (sorted keys) of everything above except `generatedAt`. */
  reportSha256: z.string(),
});
export type AgreementReport = z.infer<typeof AgreementReportSchema>;
