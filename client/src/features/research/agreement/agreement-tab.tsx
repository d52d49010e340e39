import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useEffect } from 'react';
import { AGREEMENT_TABLES } from '../../../../../shared/schemas/agreement.ts';
import { agreementTableUrl } from '../../../http/download-urls.ts';
import { useAppStore } from '../../../store/index.ts';
import { dataFor } from '../../../store/loadable.ts';
import { LoadState } from '../load-state.tsx';
import type { Json } from './json-cells.ts';
import { JsonSection } from './json-tables.tsx';

/** Top-level keys shown as a header line rather than tables. */
const HEADER_KEYS = new Set(['studyId', 'studyName', 'generatedAt', 'reportSha256']);

/**
 * PLACEHOLDER until the agreement dashboard (plots, ceilings, drill-down) is built: the report's JSON sections as
 * plain tables, read from GET /api/studies/:id/agreement.
 */
export function AgreementTab() {
  const studyId = useAppStore((s) => s.selectedStudyId);
  const study = useAppStore((s) => s.studies.find((x) => x.id === s.selectedStudyId));
  const loadable = useAppStore((s) => s.agreement);
  const load = useAppStore((s) => s.loadAgreement);
  const data = dataFor(loadable, studyId);
  const report = data?.report ?? null;

  useEffect(() => {
    if (studyId !== null) void load();
  }, [studyId, load]);

  return (
    <Stack spacing={2.5}>
      <Alert severity="info" icon={false}>
        <AlertTitle>
          Agreement dashboard <Chip size="small" label="coming later" sx={{ ml: 1 }} />
        </AlertTitle>
        The full agreement report (judge vs human raters, simulator vs persona actors, with the human–human ceiling) is available
        now from the command line: <code>prefdisco agreement --study “{study?.name ?? 'NAME'}”</code>. Below, the same report’s sections as
        plain tables.
      </Alert>
      <LoadState
        what="the agreement report"
        loading={loadable.loading}
        error={loadable.error}
        loaded={data !== null}
        empty={report === null}
        emptyText="This server does not serve the agreement report over HTTP yet; use the command above."
        onRetry={() => void load()}
      >
        {report && studyId && (
          <Stack spacing={3}>
            <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center' }}>
              <Typography variant="body2" color="text.secondary" sx={{ mr: 1 }}>
                Generated {String(report.generatedAt ?? '')} · tables as files:
              </Typography>
              {AGREEMENT_TABLES.map((t) => (
                <Button key={t} size="small" variant="outlined" href={agreementTableUrl(studyId, t, 'csv')} download>
                  {t}.csv
                </Button>
              ))}
            </Stack>
            {Object.entries(report)
              .filter(([k]) => !HEADER_KEYS.has(k))
              .map(([k, v]) => (
                <JsonSection key={k} name={k} value={v as Json} />
              ))}
          </Stack>
        )}
      </LoadState>
    </Stack>
  );
}
