import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { AGREEMENT_TABLES, type AgreementReport } from '../../../../../shared/schemas/agreement.ts';
import { agreementTableUrl } from '../../../http/download-urls.ts';
import { dateTime } from '../format.ts';
import { LoadState } from '../load-state.tsx';
import { queryState } from '../query-state.ts';
import { TabSection } from '../tab-section.tsx';
import { TestModelNotice } from '../test-model-notice.tsx';
import { useStudy } from '../use-studies.ts';
import { JudgeSection } from './judge-section.tsx';
import { SimulatorSection } from './simulator-section.tsx';
import { SlicesSection } from './slices-section.tsx';
import { useAgreement } from './use-agreement.ts';

/** What the numbers were computed from: models, prompts, rubrics and versions, so a report can be matched to its data. */
function Provenance({ report }: { report: AgreementReport }) {
  const p = report.provenance;
  const lines: [string, string[]][] = [
    ['Models under test', p.models],
    ['Judges', p.judgeModels],
    ['Simulators', p.simulatorModels],
    ['Offline test models', p.testModels],
    ['App versions', p.appVersions],
    ['Prompt hashes', p.promptHashes],
    ['Rubric hashes', p.rubricHashes],
  ];
  return (
    <TabSection title="Provenance" summary={`report SHA-256 ${report.reportSha256.slice(0, 16)}…`}>
      <Stack spacing={0.5}>
        {lines.map(([label, values]) => (
          <Typography key={label} variant="body2" sx={{ wordBreak: 'break-all' }}>
            <strong>{label}:</strong> {values.length === 0 ? '—' : values.join(', ')}
          </Typography>
        ))}
      </Stack>
    </TabSection>
  );
}

/**
 * The agreement dashboard (docs/agreement-report.md): is the judge like a rater, and the simulated user like a
 * person — each number with its bootstrap interval and the human–human ceiling beside it, with the plots.
 */
export function AgreementTab({ studyId }: { studyId: string }) {
  const study = useStudy(studyId);
  const query = useAgreement(studyId);
  const report = query.data ?? null;

  const empty = report !== null && report.counts.ratedItems === 0 && report.counts.liveEpisodes === 0;
  return (
    <LoadState
      what="the agreement report"
      {...queryState(query)}
      empty={empty}
      emptyText="Nothing to compare yet: the report needs answers rated by people (Batch runs → Send to raters, or live sessions) or live sessions with their simulated twins."
      onRetry={() => void query.refetch()}
    >
      {report && (
        <Stack spacing={4}>
          <TestModelNotice models={report.provenance.testModels} />
          <Stack spacing={1}>
            <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center' }}>
              <Chip size="small" label={`${report.settings.resamples} resamples · seed ${report.settings.seed}`} />
              <Chip size="small" label={`${Math.round(report.settings.level * 100)}% intervals`} />
              <Chip size="small" label={`Alt-Test ε ${report.settings.epsilon}`} />
              <Typography variant="body2" color="text.secondary">
                Computed {dateTime(report.generatedAt)}
              </Typography>
              <Button size="small" onClick={() => void query.refetch()}>
                Recompute
              </Button>
            </Stack>
            <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center' }}>
              <Typography variant="body2" color="text.secondary" sx={{ mr: 1 }}>
                Tables as files:
              </Typography>
              {AGREEMENT_TABLES.map((t) => (
                <Button key={t} size="small" variant="outlined" href={agreementTableUrl(studyId, t, 'csv')} download>
                  {t}.csv
                </Button>
              ))}
            </Stack>
            <Typography variant="body2" color="text.secondary">
              The same report from the command line:{' '}
              <code>prefdisco agreement --study “{study?.name ?? report.studyName}”</code>
            </Typography>
          </Stack>
          <JudgeSection report={report} />
          <SimulatorSection report={report} />
          <SlicesSection report={report} />
          <Provenance report={report} />
        </Stack>
      )}
    </LoadState>
  );
}
