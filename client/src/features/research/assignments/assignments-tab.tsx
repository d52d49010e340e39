import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import { useState } from 'react';
import type { AssignmentProgress } from '../../../../../shared/schemas/assignment-progress.ts';
import { useAppStore } from '../../../store/index.ts';
import { count, dateTime, pct, plural, shortId } from '../format.ts';
import { LoadState } from '../load-state.tsx';
import { queryState } from '../query-state.ts';
import { TabSection } from '../tab-section.tsx';
import { GoldItemDialog } from './gold-item-dialog.tsx';
import { RatingFlags } from './rating-flags.tsx';
import { ProgressTable, type Column } from '../progress-table.tsx';
import { useAssignments } from './use-assignments.ts';

type Play = AssignmentProgress['plays'][number];
type Candidate = AssignmentProgress['candidates'][number];
type Rater = AssignmentProgress['raters'][number];
type Actor = AssignmentProgress['actors'][number];

function Bar({ done, of, label }: { done: number; of: number; label: string }) {
  const value = of > 0 ? Math.min(100, (done / of) * 100) : 0;
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'center', minWidth: 140 }}>
      <LinearProgress
        variant="determinate"
        value={value}
        aria-label={label}
        aria-valuetext={`${done} of ${of}`}
        sx={{ flexGrow: 1, height: 6, borderRadius: 3 }}
      />
      <span>
        {done}/{of}
      </span>
    </Stack>
  );
}

const PLAY_COLUMNS: Column<Play>[] = [
  {
    label: 'Record',
    cell: (p) => (
      <Box component="span" sx={{ fontFamily: 'monospace', fontSize: '0.8rem' }}>
        {p.problemId}
      </Box>
    ),
  },
  { label: 'Model', cell: (p) => p.model },
  {
    label: 'Completed plays',
    cell: (p) => <Bar done={p.completed} of={p.quota} label={`Plays of ${p.problemId} with ${p.model}`} />,
  },
  { label: 'In progress', align: 'right', cell: (p) => p.active },
];

function candidateColumns(k: number, view: (episodeId: string) => void): Column<Candidate>[] {
  return [
    {
      label: 'Answer',
      cell: (c) => (
        <Box component="span" sx={{ fontFamily: 'monospace' }} title={c.itemId}>
          {shortId(c.itemId)}
        </Box>
      ),
    },
    {
      label: 'Record',
      cell: (c) => (
        <Box component="span" sx={{ fontFamily: 'monospace', fontSize: '0.8rem' }}>
          {c.problemId}
        </Box>
      ),
    },
    {
      label: 'Source episode',
      cell: (c) => {
        if (c.isGold) return <Chip size="small" color="secondary" label="gold item" />;
        const id = c.sourceEpisodeId;
        if (!id) return '—';
        return (
          <Button
            size="small"
            onClick={() => view(id)}
            // The name contains the visible (shortened) id, so speech commands that say what is shown work; the
            // whole id is in the tooltip.
            aria-label={`View episode ${shortId(id, 12)}`}
            title={id}
            sx={{ fontFamily: 'monospace', textTransform: 'none' }}
          >
            {shortId(id, 12)}
          </Button>
        );
      },
    },
    {
      label: 'Ratings',
      cell: (c) =>
        c.withdrawn ? (
          <Chip size="small" variant="outlined" label="withdrawn" />
        ) : c.isGold ? (
          count(c.rated)
        ) : (
          <Bar done={c.rated} of={k} label={`Ratings of answer ${c.itemId}`} />
        ),
    },
    { label: 'Being rated', align: 'right', cell: (c) => c.active },
  ];
}

const RATER_COLUMNS: Column<Rater>[] = [
  {
    label: 'Participant',
    cell: (r) => (
      <Box component="span" sx={{ fontFamily: 'monospace' }} title={r.participantId}>
        {shortId(r.participantId, 12)}
      </Box>
    ),
  },
  { label: 'Prolific id', cell: (r) => r.prolificPid ?? '—' },
  { label: 'Rated', align: 'right', cell: (r) => r.rated },
  { label: 'Could not judge', align: 'right', cell: (r) => r.cantJudge ?? 0 },
  { label: 'In hand', align: 'right', cell: (r) => r.active },
  {
    label: 'Attention checks passed',
    align: 'right',
    cell: (r) =>
      r.attentionChecked === 0
        ? '—'
        : `${r.attentionPassed}/${r.attentionChecked} (${pct(r.attentionPassed / r.attentionChecked, 0)})`,
  },
];

const ACTOR_COLUMNS: Column<Actor>[] = [
  {
    label: 'Participant',
    cell: (a) => (
      <Box component="span" sx={{ fontFamily: 'monospace' }} title={a.participantId}>
        {shortId(a.participantId, 12)}
      </Box>
    ),
  },
  { label: 'Prolific id', cell: (a) => a.prolificPid ?? '—' },
  { label: 'Plays completed', align: 'right', cell: (a) => a.completed },
  { label: 'In progress', align: 'right', cell: (a) => a.active },
  { label: 'Dropped (timed out or left)', align: 'right', cell: (a) => a.dropped },
  { label: 'Last activity', cell: (a) => dateTime(a.lastActivityAt) },
];

/** " · 3 withdrawn" when the researcher took answers back (they are never handed out again). */
function withdrawnSummary(candidates: Candidate[]): string {
  const withdrawn = candidates.filter((c) => c.withdrawn).length;
  return withdrawn > 0 ? ` · ${count(withdrawn)} withdrawn` : '';
}

/** Who has played and rated what: per record (plays), per answer (ratings towards k), per rater. */
export function AssignmentsTab({ studyId }: { studyId: string }) {
  // Re-read every few seconds while the tab is open.
  const query = useAssignments(studyId);
  const view = useAppStore((s) => s.viewEpisode);
  const [goldOpen, setGoldOpen] = useState(false);
  const data = query.data;

  const sum = (xs: { completed?: number; rated?: number }[], key: 'completed' | 'rated') =>
    xs.reduce((n, x) => n + (x[key] ?? 0), 0);
  return (
    <LoadState
      what="the assignments"
      {...queryState(query, true)}
      empty={false}
      emptyText=""
      onRetry={() => void query.refetch()}
    >
      {data && (
        <Stack spacing={3}>
          <TabSection
            title="Plays per record"
            summary={`${count(sum(data.plays, 'completed'))} of ${count(data.plays.reduce((n, p) => n + p.quota, 0))} plays completed · ${count(data.plays.reduce((n, p) => n + p.active, 0))} in progress`}
          >
            <ProgressTable
              label="Plays per record and model"
              rows={data.plays}
              rowKey={(p) => `${p.problemId}|${p.model}`}
              columns={PLAY_COLUMNS}
              empty="No play units: open the study (with a model under test, in the discovery condition) to create them."
            />
          </TabSection>
          <TabSection
            title="Ratings per answer"
            summary={`k = ${data.raterOverlap} raters per answer · ${count(data.candidates.filter((c) => !c.isGold && c.rated >= data.raterOverlap).length)} of ${count(data.candidates.filter((c) => !c.isGold && !c.withdrawn).length)} answers fully rated${withdrawnSummary(data.candidates)}`}
          >
            <ProgressTable
              label="Ratings per answer"
              rows={data.candidates}
              rowKey={(c) => c.itemId}
              columns={candidateColumns(data.raterOverlap, view)}
              empty="No answers to rate yet. Finished live sessions add theirs automatically; batch runs add theirs with “Send to raters”."
            />
            <Box>
              <Button
                size="small"
                variant="outlined"
                onClick={() => setGoldOpen(true)}
                disabled={data.status === 'closed'}
              >
                New attention item
              </Button>
            </Box>
            <GoldItemDialog studyId={studyId} open={goldOpen} onClose={() => setGoldOpen(false)} />
          </TabSection>
          <TabSection
            title="Persona actors"
            summary={`${plural(data.actors.length, 'actor')} · ${plural(sum(data.actors, 'completed'), 'play')} completed · ${count(data.actors.reduce((n, a) => n + a.dropped, 0))} dropped`}
          >
            <ProgressTable
              label="Persona actors"
              rows={data.actors}
              rowKey={(a) => a.participantId}
              columns={ACTOR_COLUMNS}
              empty="No actor has started yet."
            />
          </TabSection>
          <TabSection
            title="Raters"
            summary={`${plural(data.raters.length, 'rater')} · ${plural(sum(data.raters, 'rated'), 'rating')}`}
          >
            <ProgressTable
              label="Raters"
              rows={data.raters}
              rowKey={(r) => r.participantId}
              columns={RATER_COLUMNS}
              empty="No rater has started yet."
            />
          </TabSection>
          <RatingFlags flags={data.flags} />
        </Stack>
      )}
    </LoadState>
  );
}
