import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { AgreementReport } from '../../../../../shared/schemas/agreement.ts';
import { ProgressTable, type Column } from '../progress-table.tsx';
import { num } from '../format.ts';
import { TabSection } from '../tab-section.tsx';
import { EstimateText } from './estimate-text.tsx';
import { BlandAltmanPlot } from './plots/bland-altman-plot.tsx';

type DisclosureRow = AgreementReport['disclosure']['rows'][number];
type ModelRow = AgreementReport['outcomes']['models'][number];
type BehaviourRow = AgreementReport['behaviour']['rows'][number];

const DISCLOSURE_COLUMNS: Column<DisclosureRow>[] = [
  {
    label: 'Scope',
    cell: (r) =>
      r.scope === 'overall' ? 'all preferences' : `${r.scope === 'preference' ? 'preference' : 'type'}: ${r.value}`,
  },
  { label: 'Cohen’s κ (person vs twin)', cell: (r) => <EstimateText e={r.kappa} /> },
  { label: 'Agreement', cell: (r) => <EstimateText e={r.agreement} percent /> },
];
const MODEL_COLUMNS: Column<ModelRow>[] = [
  { label: 'Model', cell: (m) => m.model },
  { label: 'PrefAlign with people', align: 'right', cell: (m) => num(m.human) },
  { label: 'PrefAlign with the simulator', align: 'right', cell: (m) => num(m.simulator) },
  { label: 'Record pairs', align: 'right', cell: (m) => m.n },
];
const MEASURES: Record<BehaviourRow['measure'], string> = {
  turns: 'Questions answered per episode',
  words_per_reply: 'Words per reply',
  unprompted_disclosures: 'Unprompted disclosures per reply',
};
const BEHAVIOUR_COLUMNS: Column<BehaviourRow>[] = [
  { label: 'Measure', cell: (r) => MEASURES[r.measure] },
  { label: 'People (mean)', align: 'right', cell: (r) => `${num(r.humanMean)} (n ${r.humanN})` },
  { label: 'Simulator (mean)', align: 'right', cell: (r) => `${num(r.simulatorMean)} (n ${r.simulatorN})` },
  {
    label: 'KS D',
    align: 'right',
    cell: (r) =>
      r.ks.value === null
        ? `— ${r.ks.reason ? `(${r.ks.reason})` : ''}`
        : `${num(r.ks.value)}${r.ks.pValue === null ? '' : ` (p ${num(r.ks.pValue, 3)})`}`,
  },
];

const CATEGORY: Record<string, string> = {
  not_revealed: 'not revealed',
  revealed_correct: 'revealed, true value',
  revealed_wrong: 'revealed, other value',
};

/** Person × twin disclosure categories over every (turn, preference). */
function Confusion({ categories, confusion }: { categories: string[]; confusion: number[][] }) {
  return (
    <Paper variant="outlined" sx={{ overflowX: 'auto', alignSelf: 'flex-start' }}>
      <Table size="small" aria-label="Disclosures, person (rows) by simulated twin (columns)">
        <TableHead>
          <TableRow>
            <TableCell scope="col">Person ↓ · twin →</TableCell>
            {categories.map((c) => (
              <TableCell key={c} scope="col" align="right">
                {CATEGORY[c] ?? c}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {categories.map((c, i) => (
            <TableRow key={c}>
              <TableCell component="th" scope="row">
                {CATEGORY[c] ?? c}
              </TableCell>
              {(confusion[i] ?? []).map((n, j) => (
                <TableCell key={categories[j]} align="right" sx={{ fontWeight: i === j ? 700 : 400 }}>
                  {n}
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Paper>
  );
}

/** Is the simulated user like a person? Turn by turn (disclosures), by outcome (PrefAlign) and in behaviour. */
export function SimulatorSection({ report }: { report: AgreementReport }) {
  const { disclosure, outcomes, behaviour, plots } = report;
  return (
    <TabSection
      title="Simulated user vs persona actors"
      summary={`${report.counts.liveEpisodes} live episodes · ${report.counts.twinEpisodes} simulated twins · ${report.counts.baselineEpisodes} generic baselines`}
      help="Each live turn is replayed by the simulator (its twin reply); the same disclosure labeler reads both."
    >
      <Typography variant="h4" component="h3">
        Disclosures ({disclosure.units} turn × preference units)
      </Typography>
      <ProgressTable
        label="Disclosure agreement"
        rows={disclosure.rows}
        rowKey={(r) => `${r.scope}|${r.value}`}
        columns={DISCLOSURE_COLUMNS}
        empty="No labeled live turn with a twin reply yet."
      />
      <Typography variant="body2">
        When both revealed a preference, the same value: <EstimateText e={disclosure.revealedValueAgreement} percent />
      </Typography>
      {disclosure.units > 0 && <Confusion categories={disclosure.categories} confusion={disclosure.confusion} />}

      <Typography variant="h4" component="h3">
        Outcomes ({outcomes.pairs} record × model pairs)
      </Typography>
      <Stack direction="row" spacing={3} useFlexGap sx={{ flexWrap: 'wrap' }}>
        <Stack spacing={1} sx={{ minWidth: 280 }}>
          <Typography variant="body2">
            Pearson r: <EstimateText e={outcomes.pearson} />
          </Typography>
          <Typography variant="body2">
            Spearman ρ: <EstimateText e={outcomes.spearman} />
          </Typography>
          <Typography variant="body2">
            Bland–Altman bias {num(outcomes.blandAltman.meanDifference)}, limits [{num(outcomes.blandAltman.lower)},{' '}
            {num(outcomes.blandAltman.upper)}]{outcomes.blandAltman.reason ? ` (${outcomes.blandAltman.reason})` : ''}
          </Typography>
          <Typography variant="body2">
            Worse than the generic answer, with people: <EstimateText e={outcomes.worseThanGeneric.human} percent />
          </Typography>
          <Typography variant="body2">
            … with the simulator: <EstimateText e={outcomes.worseThanGeneric.simulator} percent />
          </Typography>
          <Typography variant="body2">
            Model ranking agreement (Kendall τ-b):{' '}
            {outcomes.modelRankingTau.value === null
              ? `— (${outcomes.modelRankingTau.reason ?? 'undefined'})`
              : num(outcomes.modelRankingTau.value)}
          </Typography>
        </Stack>
        {plots.blandAltman.length > 0 && <BlandAltmanPlot points={plots.blandAltman} limits={outcomes.blandAltman} />}
      </Stack>
      <ProgressTable
        label="PrefAlign by model, people vs simulator"
        rows={outcomes.models}
        rowKey={(m) => m.model}
        columns={MODEL_COLUMNS}
        empty="No record × model has both a live episode and its twin scored yet."
      />

      <Typography variant="h4" component="h3">
        Behaviour
      </Typography>
      <ProgressTable
        label="Behaviour of people and the simulator"
        rows={behaviour.rows}
        rowKey={(r) => r.measure}
        columns={BEHAVIOUR_COLUMNS}
        empty=""
      />
    </TabSection>
  );
}
