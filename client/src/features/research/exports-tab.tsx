import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Grid from '@mui/material/Grid';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { EXPORT_FORMATS, EXPORT_TABLES, type ExportTable } from '../../../../shared/schemas/research.ts';
import { exportUrl } from '../../http/download-urls.ts';

const TABLES: Record<ExportTable, { title: string; text: string }> = {
  episodes: {
    title: 'Episodes',
    text: 'One row per episode (batch, live, twin): record, condition, user, status, score, correctness, models.',
  },
  messages: {
    title: 'Messages',
    text: 'Every message of every episode, with the twin’s replies marked; the full dialogues.',
  },
  ratings: {
    title: 'Ratings',
    text: 'Every human rating with the rater’s pseudonym: scores per criterion, correctness, time spent, attention checks.',
  },
  ratings_long: {
    title: 'Ratings, long format',
    text: 'One row per rating and criterion with its score, for R, pandas or a pivot table.',
  },
  self_ratings: {
    title: 'Self-ratings',
    text: 'Each actor’s rating of the answer they got, with their comment and pseudonym.',
  },
  question_tags: {
    title: 'Question tags',
    text: 'The tags actors put on the model’s questions (relevant, redundant, premature, off persona), with the question.',
  },
  disclosures: {
    title: 'Disclosures',
    text: 'Per turn, which hidden preferences were asked about and revealed, by human, twin or batch user.',
  },
  participants: {
    title: 'Participants',
    text: 'The payment list, the one file with real Prolific ids (keep it private): one row per actor and rater, joined and finished, active minutes, outcome and code, work done. Paste the Prolific ids into Prolific’s approve and bonus boxes.',
  },
};

/**
 * The study's data as files, streamed by the server (never built in memory), so these are plain links the browser
 * saves. CSV is for spreadsheets (formula-like text is defused); JSONL keeps values exactly.
 */
export function ExportsTab({ studyId }: { studyId: string }) {
  return (
    <Stack spacing={2}>
      <Typography variant="body2" color="text.secondary">
        Everything recorded in this study, as of now. Column meanings: docs/data-formats.md, “Exports”. People are named
        by pseudonyms of this study except in the payment list; free text (messages, comments) is as written and may
        contain personal details.
      </Typography>
      <Grid container spacing={2}>
        {EXPORT_TABLES.map((table) => (
          <Grid key={table} size={{ xs: 12, md: 6 }}>
            <Card component="section" aria-label={TABLES[table].title} sx={{ height: '100%' }}>
              <CardContent>
                <Typography variant="h3" component="h2" gutterBottom>
                  {TABLES[table].title}
                </Typography>
                <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
                  {TABLES[table].text}
                </Typography>
                <Stack direction="row" spacing={1}>
                  {EXPORT_FORMATS.map((format) => (
                    <Button
                      key={format}
                      variant="outlined"
                      href={exportUrl(studyId, table, format)}
                      download
                      aria-label={`Download ${table} as ${format.toUpperCase()}`}
                    >
                      {format.toUpperCase()}
                    </Button>
                  ))}
                </Stack>
              </CardContent>
            </Card>
          </Grid>
        ))}
      </Grid>
    </Stack>
  );
}
