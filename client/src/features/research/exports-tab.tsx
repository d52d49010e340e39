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
    text: 'Every human rating: scores per criterion, correctness, time spent, attention checks.',
  },
  disclosures: {
    title: 'Disclosures',
    text: 'Per turn, which hidden preferences were asked about and revealed, by human, twin or batch user.',
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
        Everything recorded in this study, as of now. Column meanings: docs/researcher-api.md, “Exports”.
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
