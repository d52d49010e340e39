import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardActionArea from '@mui/material/CardActionArea';
import CardContent from '@mui/material/CardContent';
import Chip from '@mui/material/Chip';
import Grid from '@mui/material/Grid';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { MouseEvent } from 'react';
import type { StudySummary } from '../../../../shared/schemas/study.ts';
import { navigate } from '../../app/router.ts';
import { defaultTab, studyPath } from './console-route.ts';
import { plural } from './format.ts';
import { StudyRoleChip } from './study-role.tsx';
import { useStudies } from './use-studies.ts';

const cardSize = { xs: 12, sm: 6, md: 4, lg: 3 } as const;

/** The studies as cards; each opens its study's pages. */
export function StudyList({ onImport }: { onImport: () => void }) {
  const query = useStudies();
  const studies = query.data;

  // Before the first answer, show placeholders rather than the empty state, which would otherwise flash on start.
  if (!studies && !query.isError) {
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
  if (!studies) return null;
  if (studies.length === 0) {
    return (
      <Alert
        role="note"
        severity="info"
        variant="outlined"
        action={
          <Button color="inherit" size="small" onClick={onImport}>
            Import benchmark…
          </Button>
        }
      >
        No studies yet. Import a benchmark file here, or with <code>prefdisco import FILE --study NAME</code>.
      </Alert>
    );
  }
  return (
    <Grid container spacing={2} component="ul" sx={{ listStyle: 'none', p: 0, m: 0 }} aria-label="Studies">
      {studies.map((study) => (
        <Grid key={study.id} size={cardSize} component="li">
          <StudyCard study={study} />
        </Grid>
      ))}
    </Grid>
  );
}

function StudyCard({ study }: { study: StudySummary }) {
  const created = new Date(study.createdAt);
  // Opens on the first tab the researcher's role may use.
  const href = studyPath(study.id, defaultTab(study.myRole));
  // A real link (open in a new tab works); a plain click stays in this page.
  const open = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(href);
  };
  return (
    <Card sx={{ height: '100%' }}>
      <CardActionArea component="a" href={href} onClick={open} sx={{ height: '100%', alignItems: 'flex-start' }}>
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
            <StudyRoleChip component="span" role={study.myRole} />
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
