import Alert from '@mui/material/Alert';
import Card from '@mui/material/Card';
import CardActionArea from '@mui/material/CardActionArea';
import CardContent from '@mui/material/CardContent';
import Chip from '@mui/material/Chip';
import Grid from '@mui/material/Grid';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { StudySummary } from '../../../../shared/schemas/study.ts';
import { useAppStore } from '../../store/index.ts';

const cardSize = { xs: 12, sm: 6, md: 4, lg: 3 } as const;

/** The studies as selectable cards; the selected one drives the record table below. */
export function StudyList() {
  const studies = useAppStore((s) => s.studies);
  const loaded = useAppStore((s) => s.studiesLoaded);
  const loading = useAppStore((s) => s.studiesLoading);
  const failed = useAppStore((s) => s.studiesError !== null);
  const selectedId = useAppStore((s) => s.selectedStudyId);
  const selectStudy = useAppStore((s) => s.selectStudy);

  // Before the first answer, show placeholders rather than the empty state, which would otherwise flash on start.
  if (!loaded && (loading || !failed)) {
    return (
      <Grid container spacing={2} aria-busy="true" aria-label="Loading studies">
        {[0, 1, 2].map((i) => (
          <Grid key={i} size={cardSize}>
            <Skeleton variant="rounded" height={132} />
          </Grid>
        ))}
      </Grid>
    );
  }
  if (!loaded) return null;
  if (studies.length === 0) {
    return (
      <Alert severity="info" variant="outlined">
        No studies yet — import one with <code>prefdisco import FILE --study NAME</code>
      </Alert>
    );
  }
  return (
    <Grid container spacing={2} component="ul" sx={{ listStyle: 'none', p: 0, m: 0 }} aria-label="Studies">
      {studies.map((study) => (
        <Grid key={study.id} size={cardSize} component="li">
          <StudyCard study={study} selected={study.id === selectedId} onSelect={() => selectStudy(study.id)} />
        </Grid>
      ))}
    </Grid>
  );
}

interface StudyCardProps {
  study: StudySummary;
  selected: boolean;
  onSelect: () => void;
}

function StudyCard({ study, selected, onSelect }: StudyCardProps) {
  const created = new Date(study.createdAt);
  return (
    <Card sx={{ height: '100%', borderColor: selected ? 'primary.main' : undefined, borderWidth: selected ? 2 : 1 }}>
      <CardActionArea onClick={onSelect} aria-pressed={selected} sx={{ height: '100%', alignItems: 'flex-start' }}>
        {/* A button may only hold phrasing content, so everything inside renders as spans. */}
        <CardContent component="span" sx={{ display: 'block' }}>
          <Typography variant="h3" component="span" gutterBottom sx={{ display: 'block', overflowWrap: 'anywhere' }}>
            {study.name}
          </Typography>
          {study.description && (
            <Typography variant="body2" component="span" color="text.secondary" gutterBottom sx={{ display: 'block' }}>
              {study.description}
            </Typography>
          )}
          <Stack component="span" direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', my: 1 }}>
            <Chip component="span" size="small" label={plural(study.recordCount, 'record')} />
            <Chip component="span" size="small" label={plural(study.personaCount, 'persona')} />
            <Chip component="span" size="small" label={plural(study.fileCount, 'file')} />
          </Stack>
          {!Number.isNaN(created.getTime()) && (
            <Typography variant="caption" color="text.secondary">
              Created <time dateTime={study.createdAt}>{created.toLocaleString()}</time>
            </Typography>
          )}
        </CardContent>
      </CardActionArea>
    </Card>
  );
}

function plural(n: number, noun: string): string {
  return `${n.toLocaleString()} ${noun}${n === 1 ? '' : 's'}`;
}
