import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useId, useMemo, useState } from 'react';
import { useTranslation } from '../../i18n/index.ts';
import { personaFacts } from './persona-facts.ts';
import { ExpertiseChips, FactList } from '../../ui/persona-facts.tsx';

interface PersonaPanelProps {
  persona: Record<string, unknown>;
  /** "You are playing" for the actor; "Who asked" for a rater. */
  title: string;
}

/** The facts shown at once; the rest (knowledge, learning style, backstory …) opens on demand, so the preferences
 * below the card stay in view. */
const AT_ONCE = 3;

/** Who the persona is: the profile an actor plays, or the person a rater judges the answer for. */
export function PersonaPanel({ persona, title }: PersonaPanelProps) {
  const { t } = useTranslation();
  const view = useMemo(() => personaFacts(persona), [persona]);
  const [more, setMore] = useState(false);
  const moreId = useId();
  const facts = more ? view.facts : view.facts.slice(0, AT_ONCE);
  const hasMore = view.facts.length > AT_ONCE || view.backstory !== null;
  return (
    <Card component="section" aria-label={`${title}: ${view.name}`}>
      <CardContent>
        <Stack spacing={1.25}>
          <Box>
            <Typography variant="overline" component="p" color="text.secondary" sx={{ lineHeight: 1.5 }}>
              {title}
            </Typography>
            <Typography variant="h3" component="h2">
              {view.name}
            </Typography>
          </Box>
          {view.summary && <Typography variant="body2">{view.summary}</Typography>}
          <FactList facts={facts} id={moreId} columnGap={1.5} />
          <ExpertiseChips domains={view.expertise} label={t('persona.expertise')} />
          {more && view.backstory && <Typography variant="body2">{view.backstory}</Typography>}
          {hasMore && (
            <Box>
              <Button
                size="small"
                onClick={() => setMore(!more)}
                aria-expanded={more}
                aria-controls={moreId}
                sx={{ px: 0 }}
              >
                {more ? t('persona.showLess') : t('persona.moreAbout', { name: view.name.split(' ')[0] })}
              </Button>
            </Box>
          )}
        </Stack>
      </CardContent>
    </Card>
  );
}
