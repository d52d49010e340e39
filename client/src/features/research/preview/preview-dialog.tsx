import Alert from '@mui/material/Alert';
import AppBar from '@mui/material/AppBar';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Container from '@mui/material/Container';
import Dialog from '@mui/material/Dialog';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Toolbar from '@mui/material/Toolbar';
import Typography from '@mui/material/Typography';
import { useEffect, useMemo, useState } from 'react';
import type { ParticipantPreview as PreviewData } from '../../../../../shared/schemas/api-preview.ts';
import type { ParticipantRole } from '../../../../../shared/schemas/identity.ts';
import type { ParticipantOutcomeKind } from '../../../../../shared/schemas/participant-outcome.ts';
import { PageLoading } from '../../../app/page-loading.tsx';
import { errorMessage } from '../../../http/request.ts';
import { setParticipantLanguage } from '../../../i18n/index.ts';
import { ErrorAlert } from '../../../ui/error-alert.tsx';

import { ConsentStep } from '../../participant/consent-step.tsx';
import { DonePage } from '../../participant/done-page.tsx';
import { InstructionsStep } from '../../participant/instructions-step.tsx';
import { PracticeRound } from '../../participant/practice-round.tsx';
import { ParticipantPreviewContext, type ParticipantPreview } from '../../participant/preview-context.ts';
import { ScreeningStep } from '../../participant/screening-step.tsx';
import { nextPosition, previewSteps, STEP_LABELS, type PreviewPosition } from './preview-flow.ts';
import { ActorTaskPreview, RaterTaskPreview } from './preview-task.tsx';
import { useParticipantPreviewData } from './use-participant-preview.ts';

const END_LABELS: Record<ParticipantOutcomeKind, string> = {
  completed: 'Completed',
  failed_attention: 'Failed attention checks',
  timed_out: 'Timed out',
  screened_out: 'Screened out',
  no_work: 'No more work',
};

const START: PreviewPosition = { step: 'consent', end: 'completed' };

/**
 * The researcher's preview of a role's participant pages, full screen over the console: the participant pages
 * themselves, fed from GET /api/studies/:studyId/preview/:role, under a banner that says nothing is recorded. The
 * researcher can walk through the steps with the pages' own buttons or jump to any step, and choose which end the
 * done page shows.
 */
export function PreviewDialog({
  studyId,
  role,
  onRole,
  onClose,
}: {
  studyId: string;
  role: ParticipantRole | null;
  onRole: (role: ParticipantRole) => void;
  onClose: () => void;
}) {
  return (
    <Dialog fullScreen open={role !== null} onClose={onClose} aria-labelledby="preview-title">
      {role !== null && <PreviewFrame studyId={studyId} role={role} onRole={onRole} onClose={onClose} />}
    </Dialog>
  );
}

function PreviewFrame({
  studyId,
  role,
  onRole,
  onClose,
}: {
  studyId: string;
  role: ParticipantRole;
  onRole: (role: ParticipantRole) => void;
  onClose: () => void;
}) {
  const query = useParticipantPreviewData(studyId, role, true);
  const [position, setPosition] = useState<PreviewPosition | null>(null);
  const data = query.data;
  const steps = useMemo(
    () => previewSteps(role, data !== undefined && data.journey.screeningQuestion !== ''),
    [role, data],
  );
  const at = position ?? { ...START, step: steps[0] ?? 'consent' };
  // The participant pages in the preview speak the study's participant language; the console is English again after.
  const language = data?.journey.participantLanguage ?? 'en';
  useEffect(() => {
    void setParticipantLanguage(language);
    return () => void setParticipantLanguage('en');
  }, [language]);

  const switchRole = (next: ParticipantRole): void => {
    setPosition(null);
    onRole(next);
  };

  return (
    <Box sx={{ minHeight: '100vh', display: 'flex', flexDirection: 'column', bgcolor: 'background.default' }}>
      <AppBar position="sticky" color="default" elevation={1}>
        <Toolbar variant="dense" sx={{ gap: 1.5, flexWrap: 'wrap', py: 0.5 }}>
          <Typography id="preview-title" variant="h3" component="h1" sx={{ flexGrow: 1 }}>
            Participant preview
          </Typography>
          <ToggleButtonGroup
            size="small"
            exclusive
            value={role}
            onChange={(_e, next: ParticipantRole | null) => next && switchRole(next)}
            aria-label="Role to preview"
          >
            <ToggleButton value="actor">Actor</ToggleButton>
            <ToggleButton value="rater">Rater</ToggleButton>
          </ToggleButtonGroup>
          <TextField
            select
            size="small"
            label="Page"
            value={at.step}
            onChange={(e) => setPosition({ ...at, step: steps.find((s) => s === e.target.value) ?? at.step })}
            sx={{ minWidth: 150 }}
          >
            {steps.map((s) => (
              <MenuItem key={s} value={s}>
                {STEP_LABELS[s]}
              </MenuItem>
            ))}
          </TextField>
          {at.step === 'done' && data && (
            <TextField
              select
              size="small"
              label="End"
              value={at.end}
              onChange={(e) =>
                setPosition({ ...at, end: data.ends.find((x) => x.outcome === e.target.value)?.outcome ?? at.end })
              }
              sx={{ minWidth: 190 }}
            >
              {data.ends.map((x) => (
                <MenuItem key={x.outcome} value={x.outcome}>
                  {END_LABELS[x.outcome]}
                </MenuItem>
              ))}
            </TextField>
          )}
          <Button variant="contained" onClick={onClose}>
            Close preview
          </Button>
        </Toolbar>
        <Alert role="note" severity="warning" square sx={{ py: 0 }}>
          <strong>Preview — nothing is recorded.</strong> No invitation is used, no participant is created, no play unit
          or answer is taken; the model under test is not called.
        </Alert>
      </AppBar>
      <Container component="main" maxWidth="xl" sx={{ py: { xs: 2, md: 3 }, flexGrow: 1 }}>
        {query.isPending ? (
          <PageLoading label="Loading the preview…" />
        ) : query.isError ? (
          <ErrorAlert
            title="Could not load the preview"
            message={errorMessage(query.error)}
            onRetry={() => void query.refetch()}
          />
        ) : (
          <PreviewPages data={query.data} at={at} onMove={setPosition} />
        )}
      </Container>
    </Box>
  );
}

function PreviewPages({
  data,
  at,
  onMove,
}: {
  data: PreviewData;
  at: PreviewPosition;
  onMove: (next: PreviewPosition) => void;
}) {
  const end = data.ends.find((x) => x.outcome === at.end) ?? data.ends[0];
  const preview: ParticipantPreview = {
    role: data.role,
    study: data.study,
    journey: {
      ...data.journey,
      outcome: end
        ? {
            outcome: end.outcome,
            completionCode: end.completionCode,
            completionUrl: end.completionUrl,
            at: new Date(0).toISOString(),
          }
        : null,
    },
    advance: (action) => onMove(nextPosition(data.role, at, action)),
  };
  const submitted = (): void => onMove(nextPosition(data.role, at, 'submitted'));
  return (
    <ParticipantPreviewContext.Provider value={preview}>
      {/* Keyed by step and role, so each page starts fresh (and takes focus) as it would on a visit. */}
      <Box key={`${data.role}-${at.step}-${at.end}`}>
        {at.step === 'screening' && <ScreeningStep />}
        {at.step === 'consent' && <ConsentStep role={data.role} />}
        {at.step === 'instructions' && <InstructionsStep role={data.role} />}
        {at.step === 'practice' && <PracticeRound />}
        {at.step === 'task' &&
          (data.role === 'actor' ? (
            <ActorTaskPreview task={data.actorTask} instructions={data.study.instructions} onSubmitted={submitted} />
          ) : (
            <RaterTaskPreview item={data.ratingItem} onSubmitted={submitted} />
          ))}
        {at.step === 'done' && <DonePage />}
      </Box>
    </ParticipantPreviewContext.Provider>
  );
}
