import Box from '@mui/material/Box';
import type { RatingFlag } from '../../../../../shared/schemas/assignment-progress.ts';
import { dateTime, shortId } from '../format.ts';
import { ProgressTable, type Column } from '../progress-table.tsx';
import { TabSection } from '../tab-section.tsx';

const KIND_LABELS: Record<RatingFlag['kind'], string> = {
  broken: 'Broken',
  offensive: 'Offensive',
  wrong_gold: 'Wrong correct answer',
  other: 'Other',
};

const FLAG_COLUMNS: Column<RatingFlag>[] = [
  {
    label: 'Answer',
    cell: (f) => (
      <Box component="span" sx={{ fontFamily: 'monospace' }} title={f.itemId}>
        {shortId(f.itemId, 12)}
      </Box>
    ),
  },
  {
    label: 'Record',
    cell: (f) => (
      <Box component="span" sx={{ fontFamily: 'monospace', fontSize: '0.8rem' }}>
        {f.problemId}
      </Box>
    ),
  },
  { label: 'Problem', cell: (f) => KIND_LABELS[f.kind] },
  // The note is a rater's text: React renders it as text, never as markup.
  { label: 'Note', cell: (f) => f.note || '—' },
  {
    label: 'Rater',
    cell: (f) => (
      <Box component="span" sx={{ fontFamily: 'monospace' }} title={f.participantId}>
        {shortId(f.participantId, 12)}
      </Box>
    ),
  },
  { label: 'When', cell: (f) => dateTime(f.createdAt) },
];

/** Raters' reports on items (broken, offensive, wrong correct answer, other), newest last; shown only when there are any. */
export function RatingFlags({ flags }: { flags: RatingFlag[] | undefined }) {
  if (!flags || flags.length === 0) return null;
  return (
    <TabSection title="Problems raters reported" summary={`${flags.length} report${flags.length === 1 ? '' : 's'}`}>
      <ProgressTable
        label="Problems raters reported"
        rows={flags}
        rowKey={(f) => `${f.itemId}|${f.participantId}`}
        columns={FLAG_COLUMNS}
        empty=""
      />
    </TabSection>
  );
}
