import Typography from '@mui/material/Typography';
import type { AgreementReport } from '../../../../../shared/schemas/agreement.ts';
import { ProgressTable, type Column } from '../progress-table.tsx';
import { num, shortId } from '../format.ts';
import { TabSection } from '../tab-section.tsx';
import { EstimateText } from './estimate-text.tsx';
import { HeatmapTable } from './plots/heatmap-table.tsx';

type SliceRow = AgreementReport['slices']['rows'][number];
type Disagreement = AgreementReport['disagreements'][number];

const DIMENSION: Record<SliceRow['dimension'], string> = {
  criterion: 'criterion',
  preference_type: 'preference type',
  age_band: 'age band',
};
const SLICE_COLUMNS: Column<SliceRow>[] = [
  { label: 'Slice', cell: (r) => `${DIMENSION[r.dimension]}: ${r.value}` },
  { label: 'κw judge vs raters', cell: (r) => <EstimateText e={r.kappaW} /> },
  { label: 'MAE', cell: (r) => <EstimateText e={r.mae} /> },
];
const DISAGREEMENT_COLUMNS: Column<Disagreement>[] = [
  { label: 'Answer', cell: (d) => <span title={d.itemId}>{shortId(d.itemId)}</span> },
  { label: 'Record', cell: (d) => d.problemId },
  { label: 'Criterion', cell: (d) => (d.kind === 'correctness' ? 'correctness' : d.criterion) },
  { label: 'Judge', align: 'right', cell: (d) => num(d.judge, 0) },
  { label: 'Raters’ median', align: 'right', cell: (d) => num(d.humanMedian, 1) },
  { label: 'Rater scores', cell: (d) => d.humanScores.join(', ') },
];

/** Where the judge agrees with people and where not: the heatmap, the slices, and the answers they disagree on most. */
export function SlicesSection({ report }: { report: AgreementReport }) {
  return (
    <TabSection
      title="Where they disagree"
      summary={`${report.disagreements.length} answers with the largest judge–rater gaps`}
    >
      <HeatmapTable heatmaps={report.plots.heatmaps} />
      <ProgressTable
        label="Judge vs raters by slice"
        rows={report.slices.rows}
        rowKey={(r) => `${r.dimension}|${r.value}`}
        columns={SLICE_COLUMNS}
        empty="No rated answers yet."
      />
      <Typography variant="h4" component="h3">
        Largest disagreements
      </Typography>
      <ProgressTable
        label="Largest disagreements"
        rows={report.disagreements}
        rowKey={(d) => `${d.itemId}|${d.criterion}|${d.kind}`}
        columns={DISAGREEMENT_COLUMNS}
        empty="No disagreement to show."
      />
    </TabSection>
  );
}
