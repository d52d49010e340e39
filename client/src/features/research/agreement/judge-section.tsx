import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { AgreementReport, JudgeHumanRow } from '../../../../../shared/schemas/agreement.ts';
import { ProgressTable, type Column } from '../progress-table.tsx';
import { plural } from '../format.ts';
import { EstimateText } from './estimate-text.tsx';
import { JudgeBubbles, WeightedScatter } from './plots/judge-scatter.tsx';
import { TabSection } from '../tab-section.tsx';

type Comparison = AgreementReport['selfRatings']['comparisons'][number];

const JUDGE_COLUMNS: Column<JudgeHumanRow>[] = [
  { label: 'Criterion', cell: (r) => r.criterion },
  { label: 'Answers', align: 'right', cell: (r) => r.items },
  { label: 'κw judge vs raters', cell: (r) => <EstimateText e={r.kappaVsRaters} /> },
  { label: 'κw judge vs median', cell: (r) => <EstimateText e={r.kappaVsMedian} /> },
  { label: 'α raters (ceiling)', cell: (r) => <EstimateText e={r.alphaHumans} /> },
  { label: 'α with judge', cell: (r) => <EstimateText e={r.alphaWithJudge} /> },
  { label: 'MAE judge vs mean', cell: (r) => <EstimateText e={r.mae} /> },
  { label: 'MAE rater vs others', cell: (r) => <EstimateText e={r.ceiling.humanMae} /> },
  { label: 'MAE judge vs same others', cell: (r) => <EstimateText e={r.ceiling.judgeMae} /> },
  {
    label: 'Alt-Test',
    cell: (r) =>
      r.altTest.winningRate === null ? (
        <Typography variant="body2" color="text.secondary" title={r.altTest.reason}>
          — {r.altTest.reason ? `(${r.altTest.reason})` : ''}
        </Typography>
      ) : (
        <Chip
          size="small"
          color={r.altTest.passed ? 'success' : 'default'}
          label={`${r.altTest.passed ? 'passed' : 'not passed'} · ω ${r.altTest.winningRate.toFixed(2)}`}
        />
      ),
  },
];

const SELF_COLUMNS: Column<Comparison>[] = [
  { label: 'Comparison', cell: (c) => c.comparison },
  { label: 'MAE', cell: (c) => <EstimateText e={c.mae} /> },
  { label: 'Spearman ρ', cell: (c) => <EstimateText e={c.spearman} /> },
  { label: 'κw', cell: (c) => <EstimateText e={c.kappaW} /> },
];

/** Is the judge like a rater? Per criterion with the human–human ceiling beside it, the plots, and the self-ratings. */
export function JudgeSection({ report }: { report: AgreementReport }) {
  const { judgeVsHumans, selfRatings, plots } = report;
  return (
    <TabSection
      title="Judge vs human raters"
      summary={`${plural(report.counts.ratedItems, 'rated answer')} · ${plural(report.counts.ratings, 'rating')} by ${plural(report.counts.raters, 'rater')}`}
      help="The judge is as good as a rater when its numbers reach the ceiling columns: raters against each other."
    >
      <ProgressTable
        label="Judge vs human raters by criterion"
        rows={judgeVsHumans.rows}
        rowKey={(r) => r.criterion}
        columns={JUDGE_COLUMNS}
        empty="No answer has been rated by a person yet: send answers to raters from Batch runs or play live sessions."
      />
      <Typography variant="body2">
        Correctness, judge vs the raters’ majority: κ <EstimateText e={judgeVsHumans.correctnessKappa} />
      </Typography>
      {plots.judgeVsHuman.length > 0 && (
        <Stack direction="row" spacing={3} useFlexGap sx={{ flexWrap: 'wrap' }}>
          <Stack spacing={0.5}>
            <Typography variant="h4" component="h3">
              Every criterion score
            </Typography>
            <JudgeBubbles cells={plots.judgeVsHuman} />
          </Stack>
          <Stack spacing={0.5}>
            <Typography variant="h4" component="h3">
              PrefAlign per answer
            </Typography>
            <WeightedScatter weighted={plots.weighted} />
          </Stack>
        </Stack>
      )}
      <Typography variant="h4" component="h3">
        Self-ratings (the actor scores the answer they received)
      </Typography>
      <ProgressTable
        label="Self-ratings against raters and judge"
        rows={selfRatings.comparisons}
        rowKey={(c) => c.comparison}
        columns={SELF_COLUMNS}
        empty={`No live answer has both a self-rating and a rating (${selfRatings.items} self-rated answers).`}
      />
    </TabSection>
  );
}
